// A scenario file nested too deeply is refused before it is parsed: the YAML parser recurses once
// per level, and near the end of the stack V8 can fail fatally (a regular-expression compile that
// cannot allocate ends the process), which no catch can turn into an error message. Real scenario
// files nest a dozen levels; the limit is far above that and far below what the stack can take.

/** The deepest a scenario file may nest (flow brackets, or indentation in columns / 2). */
export const MAX_NESTING = 256;

/** Where the text first nests deeper than MAX_NESTING (an offset), or undefined. */
export function tooDeep(text: string): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      lineStart = true;
      indent = 0;
      if (quote === "'" || quote === '"') continue;
      continue;
    }
    if (lineStart) {
      if (c === ' ' || c === '-') {
        indent++;
        if (indent / 2 > MAX_NESTING) return i;
        continue;
      }
      lineStart = false;
    }
    if (quote !== undefined) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end - 1;
    } else if (c === '[' || c === '{') {
      depth++;
      if (depth > MAX_NESTING) return i;
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return undefined;
}

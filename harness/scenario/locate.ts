// Where a field path is in a parsed scenario file, as `line:column`, for error messages. The yaml
// library is loaded on demand, by loadScenarioFile before it parses (harness/onDemand.ts).
import type { Document, LineCounter } from 'yaml';
import { yamlLibrary } from '../onDemand.ts';

export type Path = ReadonlyArray<string | number>;

/** Where `at` is in the file: the deepest node on the path that exists (a missing field points at its parent). */
export function locate(doc: Document, lines: LineCounter, at: Path): string {
  const { isMap, isScalar } = yamlLibrary.get();
  for (let n = at.length; n >= 0; n--) {
    const prefix = at.slice(0, n);
    let parent: unknown;
    let node: unknown;
    try {
      parent = prefix.length === 0 ? doc.contents : doc.getIn(prefix.slice(0, -1), true);
      node = prefix.length === 0 ? doc.contents : doc.getIn(prefix, true);
    } catch {
      continue;
    }
    const last = prefix[prefix.length - 1];
    if (isMap(parent) && last !== undefined) {
      const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(last));
      const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
      if (range !== undefined) return position(lines, range[0]);
    }
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range !== undefined) return position(lines, range[0]);
  }
  return '1:1';
}

export function position(lines: LineCounter, offset: number): string {
  const { line, col } = lines.linePos(offset);
  return `${line}:${col}`;
}

/** `world.models["gpt-4o"].brain`, or `(the file)` for the root. */
export function pathText(at: Path): string {
  return (
    at.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join('') ||
    '(the file)'
  );
}

/** The position of the first alias in the document (where an alias bomb starts to expand). */
export function firstAlias(doc: Document, lines: LineCounter): string {
  const { visit } = yamlLibrary.get();
  let found: string | undefined;
  visit(doc, {
    Alias(_key, node) {
      const range = (node as { range?: [number, number, number] }).range;
      if (range !== undefined) found = position(lines, range[0]);
      return visit.BREAK;
    },
  });
  return found ?? '1:1';
}

// The broken argument shapes of the `malformed` fault kind, as pure functions of the wire text.

/** Not JSON: quotes dropped and colons turned into ` =`, as a model writing key=value does. */
export function breakJsonText(raw: string): string {
  const broken = raw.replace(/"/g, '').replace(/:/g, ' =');
  return broken === raw ? `${raw}}` : broken;
}

/**
 * The object a server that parses tool input keeps from text cut at `cut`: the fields that were
 * complete before the cut (`{}` when none), as Anthropic returns a tool_use cut by max_tokens.
 */
export function completeFieldsOf(raw: string, cut: number): { raw: string; parsed: unknown; length: true } {
  const head = raw.slice(0, cut);
  for (let end = head.length; end > 0; end--) {
    if (head[end - 1] !== ',' && end !== head.length) continue;
    const candidate = `${head.slice(0, head[end - 1] === ',' ? end - 1 : end)}}`;
    try {
      const parsed: unknown = JSON.parse(candidate);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return { raw: JSON.stringify(parsed), parsed, length: true };
    } catch {
      // Not a complete prefix yet: try an earlier field boundary.
    }
  }
  return { raw: '{}', parsed: {}, length: true };
}

/** The first field of an object arguments value given another JSON type; a reason when there is none. */
export function wrongTypeOf(args: unknown): { raw: string; parsed: unknown } | string {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return 'the arguments are not a JSON object';
  const [first] = Object.keys(args);
  if (first === undefined) return 'the arguments have no field to give another type';
  const value = (args as Record<string, unknown>)[first];
  const changed =
    typeof value === 'string'
      ? Number.isNaN(Number(value)) || value.trim() === ''
        ? [value]
        : Number(value)
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : value === null
          ? 0
          : JSON.stringify(value);
  const parsed = { ...(args as Record<string, unknown>), [first]: changed };
  return { raw: JSON.stringify(parsed), parsed };
}

/**
 * The text cut inside its first multi-byte character: the bytes that made it before the cut are
 * an incomplete UTF-8 sequence, which a detokenizer emits as U+FFFD. For a whole Anthropic
 * response, the server-side parse keeps only the complete fields.
 */
export function cutInsideMultibyte(raw: string, wholeAnthropic: boolean): { raw: string; parsed: unknown; length: true } | string {
  const at = [...raw].findIndex((ch) => (ch.codePointAt(0) ?? 0) > 0x7f);
  if (at < 0) return 'the arguments have no multi-byte character to cut inside';
  const cut = [...raw].slice(0, at).join('').length;
  if (wholeAnthropic) return completeFieldsOf(raw, cut);
  return { raw: `${raw.slice(0, cut)}\uFFFD`, parsed: undefined, length: true };
}

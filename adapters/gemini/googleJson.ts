// JSON as Google's API front end writes it. Whole bodies are indented by two spaces; the events of
// an `alt=sse` stream are one line each with a space after every colon and none after commas
// (`{"candidates": [{"content": {"parts": [{"text": "Hi"}],"role": "model"},"index": 0}],…}`),
// each followed by a blank line with CRLF line ends. `<`, `>` and `&` are escaped as \u003c,
// \u003e and \u0026. Sources: captured Gemini API streams (junjihashimoto/louter test-data/gemini,
// gemini-2.5-flash) and @google/genai's reader, which splits events on `\n\n`, `\r\r` or `\r\n\r\n`.

/** Escapes the characters Google's serializer escapes in JSON it has already written. */
function escapeHtml(text: string): string {
  return text.replace(/[<>&]/g, (ch) => `\\u00${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A whole response body. */
export function googlePretty(value: unknown): string {
  return escapeHtml(JSON.stringify(value, null, 2));
}

/** One event of an `alt=sse` stream. */
export function googleCompact(value: unknown): string {
  return escapeHtml(compact(value));
}

function compact(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(compact).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const fields = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${fields.map(([k, v]) => `${JSON.stringify(k)}: ${compact(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** An `alt=sse` event: `data: <json>` and a blank line, with CRLF line ends. */
export function googleSseFrame(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : googleCompact(data)}\r\n\r\n`;
}

/**
 * A protobuf Duration in JSON (`"2s"`, `"1.500s"`): seconds with 0, 3, 6 or 9 fractional digits
 * (protobuf.dev/reference/protobuf/google.protobuf/#duration), as RetryInfo.retryDelay carries it.
 */
export function durationJson(ms: number): string {
  const whole = Math.floor(ms / 1000);
  const millis = Math.round(ms - whole * 1000);
  return millis === 0 ? `${whole}s` : `${whole}.${String(millis).padStart(3, '0')}s`;
}

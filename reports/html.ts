// Safe HTML. Everything in a report that came from a run — model output, tool output, span data,
// error text, actor names — is untrusted. Markup is therefore only ever built with the `html`
// tagged template: its literal parts are ours, and every interpolated value is escaped unless it
// is itself the output of `html`. A `SafeHtml` cannot be made any other way (its constructor
// takes a module-private token), so no string from data can pass for markup.

const token = Symbol('SafeHtml');

export class SafeHtml {
  readonly #html: string;

  constructor(html: string, key: symbol) {
    if (key !== token) throw new TypeError('SafeHtml is made by the html`` template only');
    this.#html = html;
  }

  toString(): string {
    return this.#html;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

/** Characters XML 1.0 forbids, and lone surrogates; both break parsers, so they become U+FFFD. */
// eslint-disable-next-line no-control-regex
const INVALID_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in HTML (and XML) content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(INVALID_CHARS, '\uFFFD').replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  // Numbers reach style attributes; only finite ones are allowed, so data cannot break out of CSS.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0';
  return escapeHtml(String(value));
}

/** Builds markup: literal parts as written, every interpolation escaped (or nested `html`). */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  // Only a real template literal has frozen strings with `raw`: html(['<b>' + data]) is refused.
  if (!Object.isFrozen(strings) || !Array.isArray(strings.raw)) throw new TypeError('html must be used as a tag: html`<p>${text}</p>`');
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out, token);
}

/** Joins fragments, e.g. the rows of a table. */
export function joinHtml(parts: readonly SafeHtml[], separator = ''): SafeHtml {
  // render() rather than String(): a plain string smuggled in past the types is still escaped.
  return new SafeHtml(parts.map(render).join(escapeHtml(separator)), token);
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` are written as \u escapes
 * so no data can close the block or open a comment, and U+2028/2029 so old parsers cope.
 */
export function jsonInScript(value: unknown): SafeHtml {
  const text = JSON.stringify(value) ?? 'null';
  const escaped = text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return new SafeHtml(escaped, token);
}

/** A number for display and for CSS: fixed decimals, no exponent, finite. */
export function num(value: number, digits = 2): string {
  return Number.isFinite(value) ? String(Number(value.toFixed(digits))) : '0';
}

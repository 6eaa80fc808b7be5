// Masking secrets by value, as CI systems mask their secrets: every credential seen on a request
// during a run (authorization and API-key headers, cookies, credential query parameters and URL
// passwords, signatures, tokens in URL paths) is remembered, and replaced by `[redacted]` wherever
// it appears later, whatever the text around it. Patterns (redact.ts) catch what looks like a
// credential; this catches what *was* one, however it looks.
//
// Two sets are kept: one per run, for the trace and the run's message (so that masking them
// depends only on the run, and a replay in a fresh process gives the same trace hash), and one for
// the process, for what is printed and written (every secret any run saw).

export const REDACTED = '[redacted]';

/** Values shorter than this are not masked (too likely to be ordinary words), unless they hold a digit or a symbol and are 6 or more. */
const MIN_LENGTH = 8;
const MAX_REMEMBERED = 1_000;

/** A set of secret values, and the masking of text by them. */
export class SecretSet {
  private readonly values = new Set<string>();
  private ordered: string[] | undefined;

  get size(): number {
    return this.values.size;
  }

  /** Remembers `value` (and its URL-encoded form) unless it is too short to mask safely. */
  add(value: string): void {
    const v = value.trim();
    if (v.length < 6 || (v.length < MIN_LENGTH && /^[A-Za-z]+$/.test(v)) || v === REDACTED) return;
    if (this.values.has(v) || this.values.size >= MAX_REMEMBERED) return;
    this.values.add(v);
    const encoded = encodeURIComponent(v);
    if (encoded !== v) this.values.add(encoded);
    this.ordered = undefined;
  }

  /** The text with every remembered value replaced by `[redacted]` (longest values first). */
  mask(text: string): string {
    if (this.values.size === 0 || text.length < 6) return text;
    this.ordered ??= [...this.values].sort((a, b) => b.length - a.length);
    let out = text;
    for (const v of this.ordered) if (out.includes(v)) out = out.split(v).join(REDACTED);
    return out;
  }
}

/** Every secret any run in this process has seen: for output (terminal, reports, failure messages). */
export const processSecrets = new SecretSet();

const SECRET_HEADER = /(auth|api[-_]?key|token|secret|signature|password|passwd|credential|session|cookie)/i;
const SECRET_PARAM = /(key|token|secret|sig|signature|password|passwd|auth|credential|session)/i;
/** Path segments after one of these names are credentials: `/bot<token>/`, `/hooks/<id>/<token>`. */
const PATH_KEYWORD = /^(tokens?|keys?|secrets?|api[-_]?keys?|hooks|webhooks?|services|bot)$/i;

/** The credentials a request carries, by value. */
export function credentialsOf(url: URL, headers: Headers): string[] {
  const out: string[] = [];
  headers.forEach((value, name) => {
    if (!SECRET_HEADER.test(name)) return;
    if (/^(proxy-)?authorization$/i.test(name)) out.push(...authorizationValues(value));
    else if (/^(set-)?cookie$/i.test(name)) for (const pair of value.split(';')) out.push(pair.slice(pair.indexOf('=') + 1));
    else out.push(value);
  });
  for (const [name, value] of url.searchParams) if (SECRET_PARAM.test(name)) out.push(value);
  if (url.password !== '') out.push(decodeURIComponent(url.password));
  out.push(...pathTokens(url.pathname));
  return out.filter((v) => v.length > 0);
}

/** `Bearer x` → x; `Basic b64` → b64, the password and `user:password`; AWS SigV4 → its signature and credential. */
function authorizationValues(value: string): string[] {
  const m = /^\s*([A-Za-z0-9-]+)\s+(.+)$/.exec(value);
  if (m === null) return [value];
  const [, scheme = '', rest = ''] = m;
  const out = [rest];
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(rest, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) out.push(decoded, decoded.slice(colon + 1));
  }
  for (const part of rest.matchAll(/\b(?:Signature|Credential)=([^,\s]+)/g)) if (part[1] !== undefined) out.push(part[1]);
  return out;
}

/** Tokens carried in a URL path: after a keyword segment, Telegram's `bot<id>:<token>`, and long random-looking segments. */
function pathTokens(pathname: string): string[] {
  const segments = pathname.split('/').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  const out: string[] = [];
  segments.forEach((segment, i) => {
    const telegram = /^bot(\d+:[A-Za-z0-9_-]{20,})$/.exec(segment)?.[1];
    if (telegram !== undefined) out.push(telegram);
    else if (i > 0 && PATH_KEYWORD.test(segments[i - 1] ?? '') && segment.length >= 16) out.push(segment);
    else if (looksRandom(segment)) out.push(segment);
  });
  return out;
}

/** 24+ characters mixing upper case, lower case and digits, and not a UUID: a key, not a name. */
function looksRandom(segment: string): boolean {
  if (segment.length < 24 || !/^[A-Za-z0-9_.~+=-]+$/.test(segment)) return false;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(segment)) return false;
  return /[a-z]/.test(segment) && /[A-Z]/.test(segment) && /[0-9]/.test(segment);
}

// Secrets never reach a trace, a report or a terminal: query parameters that carry credentials are
// masked before a URL is recorded, headers are never recorded at all, and text passes through the
// patterns below (what looks like a credential) and secrets.ts (what was seen as one).
import { processSecrets, REDACTED, type SecretSet } from './secrets.ts';

/** Query parameters that carry credentials: `key`, `api_key`, `access_token`, `X-Amz-Signature`, `X-Amz-Credential`… */
const SECRET_PARAM = /(^|[-_.])(key|api[-_]?key|apikey|token|auth|authorization|secret|password|sig|signature|credential)$/i;

/** The URL with the values of credential-like query parameters replaced by `[redacted]`. */
export function redactUrl(url: string | URL): string {
  const text = typeof url === 'string' ? url : url.href;
  // Most URLs carry neither a query nor credentials: nothing to parse.
  if (!text.includes('?') && !text.includes('@')) return text;
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : new URL(url.href);
  } catch {
    return String(url);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    parsed.username = parsed.username === '' ? '' : 'redacted';
    parsed.password = parsed.password === '' ? '' : 'redacted';
  }
  if (parsed.search === '') return parsed.href;
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAM.test(name)) parsed.searchParams.set(name, '[redacted]');
  }
  return parsed.href;
}

const NOT_YET = String.raw`(?!\[redacted\]|%5Bredacted%5D)`;
const NAMES =
  'authorization|proxy-authorization|x-api-key|x-goog-api-key|api[-_]?key|apikey|access[-_]?token|refresh[-_]?token|client[-_]?secret|secret[-_]?key|password';

/**
 * Credentials inside free text, in the order they are applied. A named credential (a header line,
 * a JSON field quoted inside a message, a query parameter) goes first, so that `authorization:
 * Bearer sk-…` loses its whole value rather than keeping the scheme.
 */
const TEXT_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [new RegExp(String.raw`\b(${NAMES})(\\?["']?\s*[:=]\s*\\?["']?)${NOT_YET}(?:(?:Bearer|Basic)\s+)?[^\s"'\\,;&}\]]+`, 'gi'), `$1$2${REDACTED}`],
  [
    new RegExp(String.raw`([?&](?:[A-Za-z0-9_-]*[-_.])?(?:key|apikey|token|auth|sig|signature|secret|credential|password)=)${NOT_YET}[^&#\s"'\\]+`, 'gi'),
    `$1${REDACTED}`,
  ],
  [/\bBearer\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]{4,}/gi, `Bearer ${REDACTED}`],
  [/(?<![A-Za-z0-9])sk-[A-Za-z0-9_-]{6,}/g, REDACTED],
  [/(?<![A-Za-z0-9])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{6,}/g, REDACTED],
  [/\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/g, REDACTED],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/g, REDACTED],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/g, REDACTED],
  [/\bAKIA[0-9A-Z]{16}\b/g, REDACTED],
  [/\bAIza[0-9A-Za-z_-]{35}/g, REDACTED],
];

/** A cheap first look: text with none of these cannot match a rule above. */
const TRIGGER = /bearer|basic|key|token|secret|password|sk-|sk_|rk_|gh[pousr]_|github_pat|xox|AKIA|AIza|sig|auth/i;

/** The text with every credential-looking substring replaced by `[redacted]`. Idempotent. */
export function redactPatterns(text: string): string {
  if (!TRIGGER.test(text)) return text;
  let out = text;
  for (const [pattern, replacement] of TEXT_RULES) out = out.replace(pattern, replacement);
  return out;
}

/** For what is printed or written: every secret any run saw, then the patterns. */
export function redactOutput(text: string): string {
  return redactPatterns(processSecrets.mask(text));
}

/** For a run's trace and message: the secrets this run saw, then the patterns (so the result depends on the run alone). */
export function redactRun(text: string, secrets: SecretSet): string {
  return redactPatterns(secrets.mask(text));
}

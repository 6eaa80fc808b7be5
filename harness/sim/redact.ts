// Secrets never reach a trace or a report: query parameters that carry credentials are masked
// before a URL is recorded, and headers are never recorded at all.

const SECRET_PARAM = /^(key|api[-_]?key|apikey|token|access[-_]?token|auth|authorization|secret|client[-_]?secret|password|sig|signature|x-api-key)$/i;

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

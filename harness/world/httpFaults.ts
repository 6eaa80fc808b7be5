// HTTP-level faults as they look to a client: a refused or reset connection (fetch rejects with a
// TypeError whose cause carries the socket error code, as undici does), a body cut off mid-way
// (reading it fails with `TypeError: terminated`), an empty body, or an error status.

const NETWORK = Symbol.for('faultline.networkError');

/** The error fetch rejects with when the connection is refused or reset. */
export function connectionError(mode: 'refused' | 'reset', host: string): TypeError {
  const code = mode === 'refused' ? 'ECONNREFUSED' : 'ECONNRESET';
  const cause = Object.assign(new Error(mode === 'refused' ? `connect ${code} ${host}` : `read ${code}`), {
    code,
    errno: mode === 'refused' ? -111 : -104,
    syscall: mode === 'refused' ? 'connect' : 'read',
  });
  const error = new TypeError('fetch failed', { cause });
  Object.defineProperty(error, NETWORK, { value: true });
  return error;
}

/** True for the network errors Faultline simulates (they travel through handlers untouched). */
export function isNetworkError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { [NETWORK]?: boolean })[NETWORK] === true;
}

/** The same response, whose body ends with an error after `keepFraction` of its bytes. */
export async function truncatedBody(response: Response, keepFraction: number): Promise<Response> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const keep = Math.floor(bytes.length * keepFraction);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (keep > 0) controller.enqueue(bytes.slice(0, keep));
      controller.error(new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }));
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: withoutLength(response.headers) });
}

/** The same status and headers, with no body at all. */
export function emptyBody(response: Response): Response {
  return new Response(null, { status: response.status, statusText: response.statusText, headers: withoutLength(response.headers) });
}

function withoutLength(headers: Headers): Headers {
  const copy = new Headers(headers);
  copy.delete('content-length');
  return copy;
}

/** A JSON response built without msw's extras (they cost ~40 µs each on Node 20). */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** The headers a rate-limited response carries, as the openai and anthropic SDKs read them. */
export function retryAfterHeaders(retryAfterMs: number, header: 'retry-after' | 'retry-after-ms' | 'both' | 'none'): Record<string, string> {
  const out: Record<string, string> = {};
  if (header === 'retry-after' || header === 'both') out['retry-after'] = String(Math.ceil(retryAfterMs / 1000));
  if (header === 'retry-after-ms' || header === 'both') out['retry-after-ms'] = String(retryAfterMs);
  return out;
}

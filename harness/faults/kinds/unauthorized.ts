// unauthorized: the server rejects the request's credentials with 401 and a WWW-Authenticate
// challenge (RFC 6750 §3), in the shapes of the MCP SDK's own bearer-token middleware
// (server/auth/middleware/bearerAuth.js, requireBearerAuth): the header
// `Bearer error="invalid_token", error_description="Token has expired"` and the body
// `{ "error": "invalid_token", "error_description": "Token has expired" }`. The SDK client starts its
// OAuth flow when it has an authProvider, and throws StreamableHTTPError 401 when it has none.
import { z } from 'zod';
import { defineFaultKind } from '../faultKind.ts';
import { withDefaults } from '../paramSchemas.ts';

export const unauthorized = defineFaultKind({
  kind: 'unauthorized',
  summary: 'HTTP 401 with a WWW-Authenticate Bearer challenge: the server rejects the credentials the request carries.',
  params: withDefaults({
    /** The RFC 6750 error code: `invalid_token` (expired, revoked or malformed) or `invalid_request` (no credentials). */
    error: z.enum(['invalid_token', 'invalid_request']).default('invalid_token'),
    /** error_description (default: the SDK middleware's "Token has expired" / "Missing Authorization header"). */
    description: z.string().min(1).optional(),
  }),
  layers: {
    mcp: 'over HTTP, the request is answered 401 with `WWW-Authenticate: Bearer error=…, error_description=…` and the OAuth error body, before the server sees it; the in-process transport carries no credentials (no effect, with the reason)',
  },
});

/** The error_description of a 401 for these params. */
export function challengeDescription(params: { error: 'invalid_token' | 'invalid_request'; description?: string | undefined }): string {
  return params.description ?? (params.error === 'invalid_token' ? 'Token has expired' : 'Missing Authorization header');
}

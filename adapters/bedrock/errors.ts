// Bedrock runtime errors, as AWS's restJson1 protocol sends them: the status, the exception's name
// in an `x-amzn-ErrorType` header (`ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/`),
// and a body `{"message": …}`. The AWS SDK builds its modeled exception from the header
// (ThrottlingException, ServiceUnavailableException, …) and its retry strategy decides from it:
// throttling (429 or a throttling name) backs off from a 1 s base, transient errors (500, 502, 503,
// 504) from 50 ms, both with full jitter, three attempts in all (@smithy/core retry,
// StandardRetryStrategy). Messages: "Too many requests, please wait before trying again." is the
// service's throttling wording (widely quoted); the others are the API reference's descriptions
// (docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_Errors).

export type BedrockException =
  | 'ThrottlingException'
  | 'ServiceUnavailableException'
  | 'InternalServerException'
  | 'ValidationException'
  | 'ModelNotReadyException'
  | 'MissingAuthenticationTokenException';

const STATUS: Readonly<Record<BedrockException, number>> = {
  ThrottlingException: 429,
  ModelNotReadyException: 429,
  ServiceUnavailableException: 503,
  InternalServerException: 500,
  ValidationException: 400,
  MissingAuthenticationTokenException: 403,
};

/** The throttling message for the limit that was hit. */
export function throttlingMessage(limit: 'requests' | 'tokens'): string {
  return limit === 'tokens' ? 'Too many tokens, please wait before trying again.' : 'Too many requests, please wait before trying again.';
}

export const MESSAGES = {
  serviceUnavailable: 'The service isn’t currently available. Try again later.',
  internal: 'An internal server error occurred. Retry your request.',
  invalidModel: 'The provided model identifier is invalid.',
  notReady: 'The model specified in the request is not ready to serve inference requests. Try again later.',
  missingToken: 'Missing Authentication Token',
} as const;

/** An exception response. */
export function bedrockError(type: BedrockException, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ message }), {
    status: STATUS[type],
    headers: {
      'content-type': 'application/json',
      'x-amzn-ErrorType': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      ...headers,
    },
  });
}

/**
 * The exception for a server-error status: Bedrock answers 500 with InternalServerException and
 * has no 502, 504 or 529 of its own, so those (an overload included) arrive as its 503
 * ServiceUnavailableException.
 */
export function serverException(status: number): BedrockException {
  return status === 500 ? 'InternalServerException' : 'ServiceUnavailableException';
}

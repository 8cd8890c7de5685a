/**
 * Token responses (a token or an RFC 6749 §5.2 error) are small: a larger body is refused before
 * it is read whole, so a hostile endpoint cannot make us buffer (and store) megabytes.
 */
export const DEFAULT_MAX_TOKEN_RESPONSE_BYTES = 65_536;

/** An RFC 6749 §5.2 error response body. */
export interface OAuthErrorBody {
  error: string;
  errorDescription?: string;
}

/** Reads `{ error, error_description }` from a token endpoint body; undefined when it is not one. */
export function parseOAuthError(body: unknown): OAuthErrorBody | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const { error, error_description: description } = body as Record<string, unknown>;
  // §5.2: `error` is a single ASCII code such as invalid_client.
  if (typeof error !== 'string' || !/^[\x20-\x21\x23-\x5B\x5D-\x7E]+$/.test(error))
    return undefined;
  return {
    error,
    ...(typeof description === 'string' ? { errorDescription: description.slice(0, 500) } : {}),
  };
}

/** Parses a body as JSON without throwing. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** A few words about a body that is not the JSON we expected, never its content. */
export function describeNonJsonBody(contentType: string | undefined, text: string): string {
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('html') || /^\s*<(!doctype|html)/i.test(text)) return 'an HTML page';
  if (text.trim() === '') return 'an empty body';
  return `a body that is not valid JSON${type ? ` (${type.split(';')[0]})` : ''}`;
}

import { TokenData } from '../tokens/token-data';
import { readTokenFields } from '../tokens/token-fields';

/**
 * A step's HTTP answer as fetchers read it: lower-case header names; the body parsed as JSON, or
 * the text itself when it is not JSON.
 */
export interface TokenHttpResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  data: unknown;
}

/** A field the response lacked; says where, never what was there (it may be a token). */
export interface MissingToken {
  problem: string;
}

/** What a step read from its response, before the pipeline's lifetime rules apply. */
export interface TokenResponseFields {
  accessToken: string;
  tokenType?: string;
  refreshToken?: string;
  /**
   * The lifetime as received: seconds as a number or numeric string, like `expires_in` (RFC 6749
   * §5.1) gives it. Checked by the same rules as a token endpoint's.
   */
  expiresIn?: unknown;
}

/** Reads `a.b.c` from parsed JSON; undefined when any part is missing. */
export function readDotPath(body: unknown, path: string): unknown {
  let value: unknown = body;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !(key in value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export function readString(body: unknown, path: string | undefined): string | undefined {
  if (!path) return undefined;
  const value = readDotPath(body, path);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * The step's token, read by the token endpoint's rules (`readTokenFields`): token and type must be
 * sendable header values; the lifetime is `expires_in`, else a JWT `exp`, capped by `ttlMs`; with
 * none of them there is no expiry, so it is kept until the pipeline invalidates it. A token that
 * cannot be used comes back as a problem.
 */
export function toTokenData(
  fields: TokenResponseFields,
  options: { ttlMs?: number; expiresInField: string },
): TokenData | MissingToken {
  const expiry = readTokenFields({
    accessToken: fields.accessToken,
    ...(fields.tokenType !== undefined ? { tokenType: fields.tokenType } : {}),
    names: { accessToken: 'token', tokenType: 'token type', expiresIn: options.expiresInField },
    expiresIn: fields.expiresIn,
    now: Date.now(),
    ttlMs: options.ttlMs,
  });
  if ('problem' in expiry) return { problem: `is invalid: ${expiry.problem}` };
  return new TokenData({
    accessToken: fields.accessToken,
    tokenType: fields.tokenType,
    refreshToken: fields.refreshToken,
    ...(expiry.expiresAtMs !== undefined ? { expiresAt: new Date(expiry.expiresAtMs) } : {}),
  });
}

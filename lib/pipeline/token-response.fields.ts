import { TokenData } from '../tokens/token-data';
import { readTokenFields } from '../tokens/token-fields';
import { MissingToken, TokenResponseFields } from './token-response.types';

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
  options: { ttlMs?: number; expiresInField?: string; now?: number },
): TokenData | MissingToken {
  const expiry = readTokenFields({
    accessToken: fields.accessToken,
    ...(fields.tokenType !== undefined ? { tokenType: fields.tokenType } : {}),
    names: { accessToken: 'token', tokenType: 'token type' },
    expiresIn: fields.expiresIn,
    now: options.now ?? Date.now(),
    ttlMs: options.ttlMs,
    field: options.expiresInField,
  });
  if ('problem' in expiry) return { problem: `is invalid: ${expiry.problem}` };
  return new TokenData({
    accessToken: fields.accessToken,
    tokenType: fields.tokenType,
    refreshToken: fields.refreshToken,
    ...(expiry.expiresAtMs !== undefined ? { expiresAt: new Date(expiry.expiresAtMs) } : {}),
  });
}

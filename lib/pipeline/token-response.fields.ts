import { TokenData } from '../tokens/token-data';
import { TokenResponseFields } from './token-response.types';

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

/** A positive lifetime in seconds, from a number or a numeric string; anything else is ignored. */
export function readSeconds(body: unknown, path: string): number | undefined {
  const value = readDotPath(body, path);
  const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
    ? seconds
    : undefined;
}

/**
 * The step's token, valid for the shorter of `ttlMs` and the response's `expires_in`. Neither:
 * no expiry, so it is kept until the pipeline invalidates it.
 */
export function toTokenData(
  fields: TokenResponseFields,
  ttlMs: number | undefined,
  now = Date.now(),
): TokenData {
  const lifetimes = [ttlMs, fields.expiresIn !== undefined ? fields.expiresIn * 1000 : undefined];
  const known = lifetimes.filter((ms): ms is number => ms !== undefined);
  return new TokenData({
    accessToken: fields.accessToken,
    tokenType: fields.tokenType,
    refreshToken: fields.refreshToken,
    expiresAt: known.length ? new Date(now + Math.min(...known)) : undefined,
  });
}

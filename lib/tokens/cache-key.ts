import { createHash } from 'node:crypto';

/** A short, stable hash of what a token depends on; never fed a secret. */
export function hashCacheKey(parts: readonly (string | undefined)[]): string {
  return createHash('sha256')
    .update(JSON.stringify(parts.map((part) => part ?? null)))
    .digest('hex')
    .slice(0, 32);
}

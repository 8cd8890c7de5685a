import { createHash } from 'node:crypto';

/** A short, stable hash of what a token depends on (JSON: `undefined` as null); never a secret. */
export function hashCacheKey(parts: readonly unknown[], length = 32): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, length);
}

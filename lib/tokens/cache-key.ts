import { createHash, scryptSync } from 'node:crypto';

/** A short, stable hash of what a token depends on (JSON: `undefined` as null); never a secret. */
export function hashCacheKey(parts: readonly unknown[], length = 32): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, length);
}

/**
 * Tells apart configurations that differ only in a secret (an API key, a password) without
 * putting a cheap oracle for it in a shared store's key names: scrypt, computed once per step.
 */
export function secretFingerprint(secrets: unknown): string {
  return scryptSync(JSON.stringify(secrets), 'nestjs-request-forge cache key', 16).toString('hex');
}

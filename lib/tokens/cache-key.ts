import { createHash } from 'node:crypto';

/** A short, stable hash of what a token depends on; never fed a secret. */
export function hashCacheKey(parts: readonly (string | undefined)[]): string {
  return createHash('sha256')
    .update(JSON.stringify(parts.map((part) => part ?? null)))
    .digest('hex')
    .slice(0, 32);
}

/**
 * The part a client certificate adds to a cache key (its thumbprint is public): none without one,
 * so keys of clients without a certificate stay as they were.
 */
export function certificateKeyPart(thumbprint: string | undefined): string[] {
  return thumbprint === undefined ? [] : [`x5t#S256=${thumbprint}`];
}

/**
 * The part a DPoP key adds to a cache key (RFC 7638 thumbprint, public): a process never picks up
 * a token bound to another process's key. None without DPoP.
 */
export function dpopKeyPart(thumbprint: string | undefined): string[] {
  return thumbprint === undefined ? [] : [`jkt=${thumbprint}`];
}

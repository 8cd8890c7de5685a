import { createHash } from 'node:crypto';
import type { CheckedProviderOptions } from './token-provider.options';

/** A short, stable hash of what a token depends on (JSON: `undefined` as null); never a secret. */
export function hashCacheKey(parts: readonly unknown[], length = 32): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, length);
}

/**
 * `parts`, and what the tokens are bound to by public thumbprint (a client certificate, RFC 8705
 * §3; a DPoP key, RFC 9449 §6), so no process takes another's; unbound clients' keys are unchanged.
 */
export function providerCacheKey(
  parts: readonly (string | undefined)[],
  { certificateThumbprint, dpop }: CheckedProviderOptions,
): string {
  return hashCacheKey([
    ...parts,
    ...(certificateThumbprint === undefined ? [] : [`x5t#S256=${certificateThumbprint}`]),
    ...(dpop === undefined ? [] : [`jkt=${dpop.thumbprint}`]),
  ]);
}

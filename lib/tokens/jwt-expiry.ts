/**
 * The `exp` claim of a JWT access token, as epoch ms, or undefined when the token is not a JWT or
 * has no numeric `exp`. The signature is not checked: the value only decides when to renew.
 */
export function jwtExpiryMs(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (payload && typeof payload === 'object') {
      const exp = (payload as { exp?: unknown }).exp;
      if (typeof exp === 'number' && Number.isFinite(exp)) return exp * 1000;
    }
  } catch {
    // Not a JWT after all.
  }
  return undefined;
}

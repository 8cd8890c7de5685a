/** The `error` and `error_description` auth-params of a Bearer challenge (RFC 6750 §3). */
export function parseWwwAuthenticate(header: string | undefined): {
  error?: string;
  errorDescription?: string;
} {
  if (!header) return {};
  const param = (name: string): string | undefined => {
    const match = new RegExp(`${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^,\\s]+))`, 'i').exec(
      header,
    );
    return match ? (match[1] ?? match[2])?.replace(/\\(.)/g, '$1') : undefined;
  };
  return {
    error: param('error') || undefined,
    errorDescription: param('error_description') || undefined,
  };
}

/**
 * RFC 9449 §9: a `DPoP` challenge with `error="use_dpop_nonce"` (a proof with its nonce wanted, not
 * another token); the code exists only in that scheme, so other challenges do not matter.
 */
export function isDpopNonceChallenge(header: string | undefined): boolean {
  return (
    !!header &&
    /(?:^|,)\s*DPoP(?:\s|,|$)/i.test(header) &&
    /\berror\s*=\s*"?use_dpop_nonce"?(?:\s|,|$)/i.test(header)
  );
}

import { constants, createHash, createPublicKey, JsonWebKey, verify } from 'node:crypto';

export interface CheckedProof {
  /** RFC 7638 thumbprint of the proof's key. */
  jkt: string;
  payload: Record<string, unknown>;
  nonce?: string;
}

export interface ExpectedProof {
  method: string;
  /** The URL the request went to, without query and fragment. */
  url: string;
  /** For a resource request: the token the proof must carry `ath` of. */
  accessToken?: string;
  /** `jti`s seen before (this one is added): a replayed proof is refused. */
  seenJti: Set<string>;
}

const MAX_IAT_SKEW_S = 60;

/**
 * A DPoP proof checked as RFC 9449 §4.3 says, independently of the library and with node:crypto
 * only: compact JWS, `typ`, a public `jwk`, the signature with that key, `htm`, `htu`, `iat`,
 * `jti` not replayed, `ath`. `nonce` is returned for the caller to compare.
 */
export function checkDpopProof(
  proof: string,
  expected: ExpectedProof,
): CheckedProof | { error: string } {
  const parts = proof.split('.');
  if (parts.length !== 3) return { error: 'not a compact JWS' };
  let header: { typ?: string; alg?: string; jwk?: Record<string, string> };
  let payload: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return { error: 'unreadable proof' };
  }
  if (header.typ !== 'dpop+jwt') return { error: 'typ' };
  const jwk = header.jwk;
  if (!jwk || 'd' in jwk || 'p' in jwk) return { error: 'jwk must be a public key' };
  const data = Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii');
  const signature = Buffer.from(parts[2], 'base64url');
  const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  const pss = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
  const valid =
    (header.alg === 'ES256' &&
      verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature)) ||
    (header.alg === 'PS256' && verify('sha256', data, pss, signature)) ||
    (header.alg === 'RS256' && verify('sha256', data, key, signature)) ||
    (header.alg === 'EdDSA' && verify(null, data, key, signature));
  if (!valid) return { error: 'signature' };
  if (payload.htm !== expected.method) return { error: 'htm' };
  if (payload.htu !== expected.url) return { error: 'htu' };
  const iat = payload.iat;
  if (typeof iat !== 'number' || Math.abs(Date.now() / 1000 - iat) > MAX_IAT_SKEW_S) {
    return { error: 'iat' };
  }
  if (typeof payload.jti !== 'string' || expected.seenJti.has(payload.jti)) {
    return { error: 'jti replayed' };
  }
  expected.seenJti.add(payload.jti);
  const ath = expected.accessToken === undefined ? undefined : sha256(expected.accessToken);
  if (payload.ath !== ath) return { error: 'ath' };
  return {
    jkt: thumbprintOf(jwk),
    payload,
    ...(typeof payload.nonce === 'string' ? { nonce: payload.nonce } : {}),
  };
}

/** RFC 7638 thumbprint of a public JWK. */
export function thumbprintOf(jwk: Record<string, string>): string {
  const members =
    jwk.kty === 'EC'
      ? ['crv', 'kty', 'x', 'y']
      : jwk.kty === 'RSA'
        ? ['e', 'kty', 'n']
        : ['crv', 'kty', 'x'];
  return sha256(JSON.stringify(Object.fromEntries(members.map((m) => [m, jwk[m]]))));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

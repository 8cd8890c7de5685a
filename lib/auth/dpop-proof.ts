import { createHash, randomBytes } from 'node:crypto';
import { signJws } from '../tokens/jws';
import { DpopKey } from './dpop-key';

/** What one proof is for (RFC 9449 §4.2). */
export interface DpopProofClaims {
  /** HTTP method, upper-case. */
  htm: string;
  /** Target URI; query and fragment are dropped here. */
  htu: string;
  /** The server's last `DPoP-Nonce` for that origin, if it gave one (§8, §9). */
  nonce?: string;
  /** For a resource request: the access token the proof goes with (`ath`, §4.2). */
  accessToken?: string;
}

/**
 * A fresh DPoP proof JWT (RFC 9449 §4.2): `typ: dpop+jwt`, the public key in `jwk`, a random
 * `jti`, `iat` now; signed by the library's one JWS signer.
 */
export function createDpopProof(key: DpopKey, claims: DpopProofClaims, nowMs = Date.now()): string {
  return signJws(
    { typ: 'dpop+jwt', jwk: key.publicJwk },
    {
      jti: randomBytes(16).toString('base64url'),
      htm: claims.htm,
      htu: htuOf(claims.htu),
      iat: Math.floor(nowMs / 1000),
      ...(claims.accessToken !== undefined ? { ath: sha256(claims.accessToken) } : {}),
      ...(claims.nonce !== undefined ? { nonce: claims.nonce } : {}),
    },
    key.signingKey,
  );
}

/** §4.2: `htu` is the target URI without query and fragment. */
export function htuOf(url: string): string {
  const parsed = new URL(url);
  parsed.search = '';
  parsed.hash = '';
  return parsed.toString();
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'ascii').digest('base64url');
}

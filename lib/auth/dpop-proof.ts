import { constants, createHash, randomBytes, sign } from 'node:crypto';
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
 * `jti`, `iat` now. A compact JWS (RFC 7515) signed with node:crypto; jose is ESM-only.
 */
export function createDpopProof(key: DpopKey, claims: DpopProofClaims, nowMs = Date.now()): string {
  const header = { typ: 'dpop+jwt', alg: key.algorithm, jwk: key.publicJwk };
  const payload = {
    jti: randomBytes(16).toString('base64url'),
    htm: claims.htm,
    htu: htuOf(claims.htu),
    iat: Math.floor(nowMs / 1000),
    ...(claims.accessToken !== undefined ? { ath: sha256(claims.accessToken) } : {}),
    ...(claims.nonce !== undefined ? { nonce: claims.nonce } : {}),
  };
  const input = `${base64url(header)}.${base64url(payload)}`;
  return `${input}.${signature(key, Buffer.from(input, 'ascii')).toString('base64url')}`;
}

/** §4.2: `htu` is the target URI without query and fragment. */
export function htuOf(url: string): string {
  const parsed = new URL(url);
  parsed.search = '';
  parsed.hash = '';
  return parsed.toString();
}

/** RFC 7518 §3: JWS signatures in their JOSE form. */
function signature(key: DpopKey, data: Buffer): Buffer {
  switch (key.algorithm) {
    case 'ES256':
      // JOSE wants r || s, not DER.
      return sign('sha256', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
    case 'PS256':
      return sign('sha256', data, {
        key: key.privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 32,
      });
    case 'RS256':
      return sign('sha256', data, key.privateKey);
    case 'EdDSA':
      return sign(null, data, key.privateKey);
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'ascii').digest('base64url');
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

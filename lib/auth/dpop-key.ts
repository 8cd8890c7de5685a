import { createHash, generateKeyPairSync, JsonWebKey, KeyObject } from 'node:crypto';
import { OptionChecker } from '../errors/option-checker';
import {
  ASYMMETRIC_ALGORITHMS,
  checkPrivateSigningKey,
  JwsSigningKey,
  publicJwk,
} from '../tokens/jws';

/** JWS algorithms a DPoP key may sign with (RFC 9449 §4.2: asymmetric only). */
export type DpopAlgorithm = 'ES256' | 'ES384' | 'ES512' | 'PS256' | 'RS256' | 'EdDSA';

/**
 * `dpop` (RFC 9449: sender-constrained tokens). Without `privateKey` a key pair for `algorithm`
 * (default `ES256`) is generated when the client is built; with it, `algorithm` defaults to the
 * key's (EC P-256 `ES256`, P-384 `ES384`, P-521 `ES512`, RSA `RS256`, Ed25519 `EdDSA`), as for
 * `private_key_jwt`.
 */
export interface DpopOptions {
  algorithm?: DpopAlgorithm;
  /** A PEM (PKCS#8, SEC1 or PKCS#1) private key, or a private JWK. */
  privateKey?: string | JsonWebKey;
}

/** The key of one client, in a `KeyObject` that never prints its material. */
export interface DpopKey {
  readonly signingKey: JwsSigningKey;
  /** The public JWK sent in every proof's header: only the members RFC 7638 requires. */
  readonly publicJwk: Readonly<Record<string, string>>;
  /** RFC 7638 SHA-256 thumbprint (base64url): the `jkt` a bound token's `cnf` carries. */
  readonly thumbprint: string;
}

const DPOP_KEYS = ['algorithm', 'privateKey'];
/** RFC 7638 §3.2: the required members of each key type, in lexicographic order. */
const THUMBPRINT_MEMBERS: Record<string, readonly string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  RSA: ['e', 'kty', 'n'],
  OKP: ['crv', 'kty', 'x'],
};

/** Checks `dpop` (`check` is at that block) and makes its key; no message quotes the key. */
export function resolveDpopKey(options: unknown, check: OptionChecker): DpopKey {
  const record = check.record('', options);
  check.knownKeys(record, DPOP_KEYS);
  if (record.privateKey !== undefined) {
    return describe(checkPrivateSigningKey(record.privateKey, record.algorithm, check));
  }
  const { algorithm = 'ES256' } = record;
  const chosen = check.oneOf('algorithm', algorithm, ASYMMETRIC_ALGORITHMS);
  return describe({ algorithm: chosen, key: GENERATE[chosen as DpopAlgorithm]() });
}

/** A new key pair for each algorithm (its private key; the public one derives from it). */
const GENERATE: Record<DpopAlgorithm, () => KeyObject> = {
  ES256: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
  ES384: () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey,
  ES512: () => generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey,
  EdDSA: () => generateKeyPairSync('ed25519').privateKey,
  // RFC 7518 §3.3: at least 2048 bits.
  RS256: () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
  PS256: () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
};

function describe(signingKey: JwsSigningKey): DpopKey {
  const jwk = publicJwk(signingKey.key) as Record<string, string>;
  const members = THUMBPRINT_MEMBERS[jwk.kty];
  const required = Object.fromEntries(members.map((name) => [name, jwk[name]]));
  // RFC 7638 §3.3: the required members, sorted, no whitespace: JSON.stringify of `required`.
  const thumbprint = createHash('sha256').update(JSON.stringify(required)).digest('base64url');
  return Object.freeze({
    signingKey: Object.freeze(signingKey),
    publicJwk: Object.freeze(required),
    thumbprint,
  });
}

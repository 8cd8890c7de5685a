import { createHash, generateKeyPairSync, JsonWebKey, KeyObject } from 'node:crypto';
import { isRecord, OptionChecker } from '../errors/option-checker';
import {
  algorithmsForKey,
  ASYMMETRIC_ALGORITHMS,
  describeKey,
  importPrivateKey,
  JwsSigningKey,
  publicJwk,
} from '../tokens/jws';

/** JWS algorithms a DPoP key may sign with (RFC 9449 §4.2: asymmetric only). */
export type DpopAlgorithm = 'ES256' | 'PS256' | 'RS256' | 'EdDSA';

/**
 * `auth.dpop` / the providers' `dpop` option (RFC 9449): sender-constrained tokens. Without
 * `privateKey` a key pair for `algorithm` (default `ES256`) is generated once, when the client is
 * built; with it, the algorithm defaults to what the key is (EC P-256 `ES256`, RSA `RS256`,
 * Ed25519 `EdDSA`), as for `private_key_jwt`.
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
/** RFC 7518 §3.3 */
const MIN_RSA_BITS = 2048;

/**
 * Checks `dpop` and makes its key: the provided one, parsed, or a new pair. Problems name the
 * field (`Client "svc": auth.dpop.privateKey ...`) and never quote the key.
 * @param check at the `dpop` block
 */
export function resolveDpopKey(options: unknown, check: OptionChecker): DpopKey {
  const record = check.record('', options);
  check.knownKeys(record, DPOP_KEYS);
  const asked =
    record.algorithm === undefined
      ? undefined
      : (check.oneOf('algorithm', record.algorithm, ASYMMETRIC_ALGORITHMS) as DpopAlgorithm);
  if (record.privateKey === undefined) {
    const algorithm = asked ?? 'ES256';
    return describe(GENERATE[algorithm](), algorithm);
  }
  const key = parse(record.privateKey, check);
  const usable = algorithmsForKey(key) as DpopAlgorithm[];
  if (!usable.length) {
    check.fail('privateKey', `is ${describeKey(key)}; use RSA, EC P-256 or Ed25519`);
  }
  // Only RSA keys have a modulus.
  if ((key.asymmetricKeyDetails?.modulusLength ?? MIN_RSA_BITS) < MIN_RSA_BITS) {
    check.fail('privateKey', `is ${describeKey(key)}; RSA keys must have at least 2048 bits`);
  }
  if (asked !== undefined && !usable.includes(asked)) {
    check.fail(
      'algorithm',
      `'${asked}' does not match the privateKey (${describeKey(key)}: ${usable.join(' or ')})`,
    );
  }
  return describe(key, asked ?? usable[0]);
}

/** A new key pair for each algorithm (its private key; the public one derives from it). */
const GENERATE: Record<DpopAlgorithm, () => KeyObject> = {
  ES256: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
  EdDSA: () => generateKeyPairSync('ed25519').privateKey,
  RS256: () => generateKeyPairSync('rsa', { modulusLength: MIN_RSA_BITS }).privateKey,
  PS256: () => generateKeyPairSync('rsa', { modulusLength: MIN_RSA_BITS }).privateKey,
};

/** A PEM string or a JWK object; whatever node:crypto says about it is not repeated. */
function parse(value: unknown, check: OptionChecker): KeyObject {
  if (typeof value !== 'string' && !isRecord(value)) {
    check.fail('privateKey', 'must be a PEM string or a JWK object');
  }
  try {
    return importPrivateKey(value as string | JsonWebKey);
  } catch {
    return check.fail('privateKey', 'is not a PEM or JWK private key');
  }
}

function describe(key: KeyObject, algorithm: DpopAlgorithm): DpopKey {
  const jwk = publicJwk(key) as Record<string, string>;
  const members = THUMBPRINT_MEMBERS[jwk.kty];
  const required = Object.fromEntries(members.map((name) => [name, jwk[name]]));
  // RFC 7638 §3.3: the required members, sorted, no whitespace: JSON.stringify of `required`.
  const thumbprint = createHash('sha256').update(JSON.stringify(required)).digest('base64url');
  return Object.freeze({
    signingKey: Object.freeze({ algorithm, key }),
    publicJwk: Object.freeze(required),
    thumbprint,
  });
}

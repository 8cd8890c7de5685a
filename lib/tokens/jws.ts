import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  JsonWebKey,
  KeyObject,
  sign,
  constants,
} from 'node:crypto';
import { isRecord, OptionChecker } from '../errors/option-checker';

/** JWS compact serialization (RFC 7515 §7.1) with node:crypto: `jose` would do, but is ESM-only. */
export type JwsAlgorithm = 'HS256' | 'RS256' | 'PS256' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA';

/** The algorithms each usable key type signs with, the implied one first. */
const KEY_ALGORITHMS: Readonly<Record<string, JwsAlgorithm[]>> = {
  rsa: ['RS256', 'PS256'],
  'rsa-pss': ['PS256'],
  'ec:prime256v1': ['ES256'],
  'ec:secp384r1': ['ES384'],
  'ec:secp521r1': ['ES512'],
  ed25519: ['EdDSA'],
};

/** Every algorithm a key above signs with, in that order (messages list them so). */
export const ASYMMETRIC_ALGORITHMS: readonly JwsAlgorithm[] = [
  ...new Set(Object.values(KEY_ALGORITHMS).flat()),
];

/** A key with the algorithm it signs with: an asymmetric private key, or a secret for HS256. */
export interface JwsSigningKey {
  algorithm: JwsAlgorithm;
  key: KeyObject;
}

type JwsHeader = { alg?: never; typ?: string; kid?: string } & Record<string, unknown>;

/** `<header>.<payload>.<signature>`, each base64url; `alg` comes from the key. */
export function signJws(
  header: JwsHeader,
  payload: Record<string, unknown>,
  signingKey: JwsSigningKey,
): string {
  const protectedHeader = { alg: signingKey.algorithm, ...header };
  const input = `${base64url(JSON.stringify(protectedHeader))}.${base64url(JSON.stringify(payload))}`;
  return `${input}.${signature(Buffer.from(input, 'ascii'), signingKey).toString('base64url')}`;
}

/** RFC 7518 §3: the digest and encoding of each algorithm. */
function signature(data: Buffer, { algorithm, key }: JwsSigningKey): Buffer {
  switch (algorithm) {
    case 'HS256':
      return createHmac('sha256', key).update(data).digest();
    case 'RS256':
      return sign('sha256', data, key);
    case 'PS256':
      // §3.5: MGF1 with SHA-256 and a salt as long as the hash.
      return sign('sha256', data, {
        key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 32,
      });
    case 'ES256':
      // §3.4: R || S (32, 48 or 66 bytes each with the curve), not DER.
      return sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
    case 'ES384':
      return sign('sha384', data, { key, dsaEncoding: 'ieee-p1363' });
    case 'ES512':
      return sign('sha512', data, { key, dsaEncoding: 'ieee-p1363' });
    case 'EdDSA':
      return sign(null, data, key);
  }
}

/**
 * A `privateKey` option checked and imported: a PEM (PKCS#8, PKCS#1, SEC1) or private JWK of an RSA
 * (at least 2048 bits, RFC 7518 §3.3), EC P-256, P-384, P-521 or Ed25519 key, with `algorithm` when given (it
 * must suit the key), else the key's implied one. Problems never quote the key.
 */
export function checkPrivateSigningKey(
  material: unknown,
  algorithm: unknown,
  check: OptionChecker,
): JwsSigningKey {
  if (typeof material !== 'string' && !isRecord(material)) {
    check.fail('privateKey', 'must be a PEM string or a JWK object');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(
      typeof material === 'string'
        ? { key: material, format: 'pem' }
        : { key: material as JsonWebKey, format: 'jwk' },
    );
  } catch {
    return check.fail('privateKey', 'is not a PEM or JWK private key');
  }
  const { asymmetricKeyType: type, asymmetricKeyDetails: details } = key;
  const usable = KEY_ALGORITHMS[type === 'ec' ? `ec:${details?.namedCurve}` : `${type}`] ?? [];
  if (usable.length === 0) {
    check.fail('privateKey', `is ${describeKey(key)}; use RSA, EC P-256, P-384, P-521 or Ed25519`);
  }
  if (type?.startsWith('rsa') && (details?.modulusLength ?? 0) < 2048) {
    check.fail('privateKey', `is ${describeKey(key)}; RSA keys must have at least 2048 bits`);
  }
  if (algorithm === undefined) return { algorithm: usable[0], key };
  const chosen = check.oneOf('algorithm', algorithm, ASYMMETRIC_ALGORITHMS);
  if (!usable.includes(chosen)) {
    check.fail(
      'algorithm',
      `'${chosen}' does not match the privateKey (${describeKey(key)}: ${usable.join(' or ')})`,
    );
  }
  return { algorithm: chosen, key };
}

/** `an RSA key of 2048 bits`, `an EC key on secp384r1`: what a key is, never what it holds. */
function describeKey(key: KeyObject): string {
  const { asymmetricKeyType: type, asymmetricKeyDetails: details } = key;
  if (type?.startsWith('rsa')) return `an RSA key of ${details?.modulusLength ?? '?'} bits`;
  if (type === 'ec') return `an EC key on ${details?.namedCurve ?? 'an unknown curve'}`;
  return `a key of type ${type ?? key.type}`;
}

/** The public half of `key` as a JWK (for a `jwk` header or a registered key set). */
export function publicJwk(key: KeyObject): JsonWebKey {
  return createPublicKey(key).export({ format: 'jwk' });
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

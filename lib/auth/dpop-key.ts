import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  JsonWebKey,
  KeyObject,
} from 'node:crypto';
import { isRecord, OptionChecker } from '../errors/option-checker';

/** JWS algorithms a DPoP key may sign with (RFC 9449 §4.2, RFC 7518, RFC 8037). */
export type DpopAlgorithm = 'ES256' | 'PS256' | 'RS256' | 'EdDSA';

/**
 * `auth.dpop` / the providers' `dpop` option (RFC 9449): sender-constrained tokens. Without
 * `privateKey` a key pair for `algorithm` (default `ES256`) is generated once, when the client is
 * built; with it, the algorithm defaults to what the key is (EC P-256 `ES256`, RSA `PS256`,
 * Ed25519 `EdDSA`).
 */
export interface DpopOptions {
  algorithm?: DpopAlgorithm;
  /** A PEM (PKCS#8, SEC1 or PKCS#1) private key, or a private JWK (an object or its JSON). */
  privateKey?: string | JsonWebKey;
}

/** The key of one client: private, kept in a `KeyObject` that never prints its material. */
export interface DpopKey {
  readonly algorithm: DpopAlgorithm;
  readonly privateKey: KeyObject;
  /** The public JWK sent in every proof's header: only the members RFC 7638 requires. */
  readonly publicJwk: Readonly<Record<string, string>>;
  /** RFC 7638 SHA-256 thumbprint (base64url): the `jkt` a bound token's `cnf` carries. */
  readonly thumbprint: string;
}

const ALGORITHMS: readonly DpopAlgorithm[] = ['ES256', 'PS256', 'RS256', 'EdDSA'];
const DPOP_KEYS = ['algorithm', 'privateKey'];
/** RFC 7638 §3.2: the required members of each key type, in lexicographic order. */
const THUMBPRINT_MEMBERS: Record<string, readonly string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  RSA: ['e', 'kty', 'n'],
  OKP: ['crv', 'kty', 'x'],
};
const MIN_RSA_BITS = 2048;
const SUPPORTED_KEYS = 'EC P-256, RSA (2048 bits or more) or Ed25519';

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
      : check.oneOf('algorithm', record.algorithm, ALGORITHMS);
  if (record.privateKey === undefined) {
    const algorithm = asked ?? 'ES256';
    return describe(generate(algorithm), algorithm);
  }
  const privateKey = parse(record.privateKey, check);
  const kind = keyKind(privateKey);
  const fits = kind ? algorithmsFor(kind, privateKey) : [];
  const what = kind ? describeKind(kind, privateKey) : 'a key of an unsupported type';
  if (!fits.length) {
    check.fail('privateKey', `is ${what}; DPoP keys are ${SUPPORTED_KEYS}`);
  }
  if (asked !== undefined && !fits.includes(asked)) {
    const use = fits.map((a) => `'${a}'`).join(' or ');
    check.fail('algorithm', `'${asked}' does not match privateKey (${what}; use ${use})`);
  }
  return describe(privateKey, asked ?? fits[0]);
}

function generate(algorithm: DpopAlgorithm): KeyObject {
  switch (algorithm) {
    case 'ES256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    case 'EdDSA':
      return generateKeyPairSync('ed25519').privateKey;
    default:
      return generateKeyPairSync('rsa', { modulusLength: MIN_RSA_BITS }).privateKey;
  }
}

/** A PEM string, a JWK object or a JWK as JSON; whatever node:crypto says is not repeated. */
function parse(value: unknown, check: OptionChecker): KeyObject {
  let key: KeyObject | undefined;
  try {
    if (isRecord(value)) {
      key = createPrivateKey({ key: value as JsonWebKey, format: 'jwk' });
    } else if (typeof value === 'string' && value.trim().startsWith('{')) {
      key = createPrivateKey({ key: JSON.parse(value) as JsonWebKey, format: 'jwk' });
    } else if (typeof value === 'string') {
      key = createPrivateKey(value);
    }
  } catch {
    key = undefined;
  }
  if (!key || key.type !== 'private') {
    return check.fail('privateKey', 'is not a PEM or JWK private key');
  }
  return key;
}

type KeyKind = 'ec' | 'rsa' | 'ed25519';

function keyKind(key: KeyObject): KeyKind | undefined {
  const type = key.asymmetricKeyType;
  if (type === 'rsa' || type === 'rsa-pss') return 'rsa';
  if (type === 'ec' || type === 'ed25519') return type;
  return undefined;
}

function algorithmsFor(kind: KeyKind, key: KeyObject): DpopAlgorithm[] {
  const details = key.asymmetricKeyDetails ?? {};
  if (kind === 'ec') return details.namedCurve === 'prime256v1' ? ['ES256'] : [];
  if (kind === 'ed25519') return ['EdDSA'];
  if ((details.modulusLength ?? 0) < MIN_RSA_BITS) return [];
  // An RSA-PSS key (OID id-RSASSA-PSS) may only make PSS signatures.
  return key.asymmetricKeyType === 'rsa-pss' ? ['PS256'] : ['PS256', 'RS256'];
}

function describeKind(kind: KeyKind, key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  if (kind === 'ec') return `an EC key on curve ${details.namedCurve ?? 'unknown'}`;
  if (kind === 'ed25519') return 'an Ed25519 key';
  return `a ${details.modulusLength ?? 0}-bit RSA key`;
}

function describe(privateKey: KeyObject, algorithm: DpopAlgorithm): DpopKey {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' }) as Record<string, string>;
  const members = THUMBPRINT_MEMBERS[jwk.kty];
  const publicJwk = Object.fromEntries(members.map((name) => [name, jwk[name]]));
  // RFC 7638 §3.3: the required members, sorted, no whitespace: JSON.stringify of `publicJwk`.
  const thumbprint = createHash('sha256').update(JSON.stringify(publicJwk)).digest('base64url');
  return Object.freeze({ algorithm, privateKey, publicJwk: Object.freeze(publicJwk), thumbprint });
}

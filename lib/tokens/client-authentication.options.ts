import { createSecretKey, JsonWebKey, randomUUID } from 'node:crypto';
import { OptionChecker } from '../errors/option-checker';
import { checkClientCertificate, ClientCertificate } from '../transport/client-certificate';
import { checkPrivateSigningKey, JwsAlgorithm, signJws } from './jws';

const CLIENT_AUTH_METHODS = [
  'body',
  'header',
  'client_secret_jwt',
  'private_key_jwt',
  'tls_client_auth',
] as const;

/**
 * How the client authenticates at the token endpoint: `'body'` (client_secret_post) and
 * `'header'` (client_secret_basic, RFC 6749 §2.3.1), a signed JWT (`'client_secret_jwt'`,
 * `'private_key_jwt'`: RFC 7523 §2.2, OIDC Core §9) or its TLS certificate (`'tls_client_auth'`,
 * RFC 8705 §2.1).
 */
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

/** The client authentication options of every OAuth2 provider and module `auth` block. */
export interface ClientAuthenticationOptions {
  /** Default `'body'`. */
  authMethod?: ClientAuthMethod;
  /** Required unless authMethod is 'private_key_jwt', 'tls_client_auth' or a public client's. */
  clientSecret?: string;
  /** `private_key_jwt`: the signing key, PEM (PKCS#8, PKCS#1, SEC1) or a private JWK. */
  privateKey?: string | JsonWebKey;
  /** `private_key_jwt`: the `kid` of the assertion's header (the IdP's name for the key). */
  keyId?: string;
  /**
   * The assertion's algorithm. Default from the key: RSA → `RS256`, EC P-256 → `ES256`, Ed25519
   * → `EdDSA`; `PS256` must be asked for. `client_secret_jwt` signs with `HS256`.
   */
  algorithm?: JwsAlgorithm;
  /** The assertion's `aud`. Default: `tokenUrl`; some IdPs want their issuer. */
  assertionAudience?: string;
  /**
   * TLS client certificate (PEM) for the token endpoint: required by `'tls_client_auth'`. A module
   * client also presents it to its API, for certificate-bound tokens (RFC 8705 §3).
   */
  clientCertificate?: ClientCertificate;
}

export const CLIENT_AUTHENTICATION_KEYS = [
  'authMethod',
  'clientSecret',
  'privateKey',
  'keyId',
  'algorithm',
  'assertionAudience',
  'clientCertificate',
];

export interface ClientAuthentication {
  authMethod: ClientAuthMethod;
  /** For `client_secret_jwt` and `private_key_jwt`: signs a new assertion per request. */
  clientAssertion?: () => string;
  clientCertificate?: ClientCertificate;
  /** `x5t#S256` of the client certificate: tokens bound to it are not another's. */
  certificateThumbprint?: string;
}

const SECRET_METHODS: readonly ClientAuthMethod[] = ['body', 'header', 'client_secret_jwt'];

/** Checks them and builds what they need, once, at bootstrap; never quotes a key or secret. */
export function checkClientAuthentication(
  options: ClientAuthenticationOptions & { clientId: string; tokenUrl: string },
  check: OptionChecker,
  secretRequired: boolean,
): ClientAuthentication {
  const authMethod =
    options.authMethod === undefined
      ? 'body'
      : check.oneOf('authMethod', options.authMethod, CLIENT_AUTH_METHODS);
  const usesSecret = SECRET_METHODS.includes(authMethod);
  if (usesSecret && (secretRequired || authMethod !== 'body')) {
    check.string('clientSecret', options.clientSecret);
  } else if (!usesSecret && options.clientSecret !== undefined) {
    check.fail('clientSecret', `is not used with authMethod '${authMethod}'; remove it`);
  }
  const isJwt = authMethod === 'client_secret_jwt' || authMethod === 'private_key_jwt';
  for (const field of ['keyId', 'algorithm', 'assertionAudience'] as const) {
    if (!isJwt && options[field] !== undefined) {
      check.fail(field, "applies to authMethod 'client_secret_jwt' or 'private_key_jwt' only");
    }
  }
  if (authMethod !== 'private_key_jwt' && options.privateKey !== undefined) {
    check.fail('privateKey', "applies to authMethod 'private_key_jwt' only");
  }
  if (authMethod === 'private_key_jwt' && (options.privateKey ?? undefined) === undefined) {
    check.fail('privateKey', "is required with authMethod 'private_key_jwt'");
  }
  const result: ClientAuthentication = { authMethod };
  if (options.clientCertificate !== undefined) {
    result.certificateThumbprint = checkClientCertificate(
      check,
      'clientCertificate',
      options.clientCertificate,
    );
    result.clientCertificate = options.clientCertificate;
  } else if (authMethod === 'tls_client_auth') {
    check.fail('clientCertificate', "is required with authMethod 'tls_client_auth'");
  }
  if (authMethod === 'tls_client_auth' && !/^https:/i.test(options.tokenUrl)) {
    check.fail('tokenUrl', "must use https with authMethod 'tls_client_auth'");
  }
  if (!isJwt) return result;
  check.optionalString('keyId', options.keyId);
  const audience = check.optionalString('assertionAudience', options.assertionAudience);
  const signingKey =
    authMethod === 'client_secret_jwt'
      ? secretSigningKey(options.clientSecret as string, options.algorithm, check)
      : checkPrivateSigningKey(options.privateKey, options.algorithm, check);
  const { clientId, keyId } = options;
  const aud = audience ?? options.tokenUrl;
  // RFC 7523 §3: a new assertion per request, with its own `jti` (servers refuse a replayed one),
  // valid for 60 s as it is sent at once; `nbf` because some IdPs (Entra ID) require it.
  result.clientAssertion = () => {
    const iat = Math.floor(Date.now() / 1000);
    return signJws(
      { typ: 'JWT', ...(keyId !== undefined ? { kid: keyId } : {}) },
      { iss: clientId, sub: clientId, aud, jti: randomUUID(), iat, nbf: iat, exp: iat + 60 },
      signingKey,
    );
  };
  return result;
}

/** RFC 7518 §3.2: an HS256 key is at least 256 bits. */
function secretSigningKey(secret: string, algorithm: unknown, check: OptionChecker) {
  if (algorithm !== undefined) check.oneOf('algorithm', algorithm, ['HS256']);
  if (Buffer.byteLength(secret, 'utf8') < 32) {
    check.fail(
      'clientSecret',
      "must be at least 32 bytes for authMethod 'client_secret_jwt' (HS256)",
    );
  }
  return { algorithm: 'HS256' as const, key: createSecretKey(Buffer.from(secret, 'utf8')) };
}

import { JsonWebKey } from 'node:crypto';
import { isIP } from 'node:net';
import { DpopOptions, resolveDpopKey } from '../auth/dpop-key';
import { DpopSession } from '../auth/dpop-session';
import { OptionChecker } from '../errors/option-checker';
import { checkClientCertificate, ClientCertificate } from '../transport/client-certificate';
import { assertionSigner } from './client-assertion';
import { JwsAlgorithm } from './jws';
import { SHORTEST_LIFETIME_MS } from './token-fields';

const CLIENT_AUTH_METHODS = [
  'body',
  'header',
  'client_secret_jwt',
  'private_key_jwt',
  'tls_client_auth',
  'self_signed_tls_client_auth',
] as const;

/**
 * How the client authenticates at the token endpoint: `'body'` (client_secret_post) and
 * `'header'` (client_secret_basic, RFC 6749 §2.3.1), a signed JWT (`'client_secret_jwt'`,
 * `'private_key_jwt'`: RFC 7523 §2.2, OIDC Core §9) or its TLS certificate (RFC 8705:
 * `'tls_client_auth'`, §2.1, a certificate from a CA; `'self_signed_tls_client_auth'`, §2.2, one
 * the client registered itself). Both look alike from the client: the id, and the certificate.
 */
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

/** Options every OAuth2 token provider shares. */
export interface OAuthProviderCommonOptions {
  tokenUrl: string;
  clientId: string;
  /** Names the service in storage keys, logs and errors. */
  serviceName: string;
  scope?: string;
  /** Default `'body'`. */
  authMethod?: ClientAuthMethod;
  /** Required unless authMethod is 'private_key_jwt', a TLS one or a public client's. */
  clientSecret?: string;
  /** `private_key_jwt`: the signing key, PEM (PKCS#8, PKCS#1, SEC1) or a private JWK. */
  privateKey?: string | JsonWebKey;
  /** `private_key_jwt`: the `kid` of the assertion's header (the IdP's name for the key). */
  keyId?: string;
  /**
   * The assertion's algorithm. Default from the key: RSA → `RS256`, EC P-256 / P-384 / P-521 →
   * `ES256` / `ES384` / `ES512`, Ed25519 → `EdDSA`; `PS256` must be asked for. `client_secret_jwt` signs with `HS256`.
   */
  algorithm?: JwsAlgorithm;
  /** The assertion's `aud`. Default: `tokenUrl`; some IdPs want their issuer. */
  assertionAudience?: string;
  /**
   * `private_key_jwt`: the certificate (PEM) of `privateKey` as registered at the IdP. The
   * assertion's header then names it by its thumbprints, `x5t#S256` and `x5t` (RFC 7515 §4.1.7,
   * §4.1.8): IdPs that register certificates rather than keys (Entra ID) need one of them.
   */
  assertionCertificate?: string;
  /**
   * TLS client certificate (PEM) for the token endpoint: required by the TLS methods. A module
   * client also presents it to its API, for certificate-bound tokens (RFC 8705 §3).
   */
  clientCertificate?: ClientCertificate;
  /** Allow a plain-http token URL on a non-loopback host. Default false. */
  allowInsecureRequests?: boolean;
  /** Token endpoint timeout per attempt, in ms, up to the last byte of the body. Default 10_000. */
  timeout?: number;
  /** Largest token response body read, in bytes; a larger one is refused. Default 65_536. */
  maxTokenResponseBytes?: number;
  /** Lifetime of tokens whose response gives no expiry, in ms (>= 1000). Default 3_600_000. */
  defaultTokenLifetime?: number;
  /**
   * DPoP-bound tokens (RFC 9449): `{ algorithm: 'ES256' }` (a key pair made once, when the client
   * is built) or `{ privateKey }` (PEM or JWK; the same key in every process that shares tokens).
   */
  dpop?: DpopOptions;
}

export interface ClientCredentialsTokenProviderOptions extends OAuthProviderCommonOptions {
  /** Default `client_credentials` (RFC 6749 §4.4); another value for an extension grant (§4.5). */
  grantType?: string;
  audience?: string;
  /** Extra token request parameters; cannot override grant_type or the client credentials. */
  extraParams?: Record<string, string>;
}

export interface PasswordGrantTokenProviderOptions extends OAuthProviderCommonOptions {
  username: string;
  password: string;
}

/** The option names of each provider, also the keys of the module's `auth` block (with `type`). */
const COMMON_KEYS = [
  'tokenUrl',
  'clientId',
  'serviceName',
  'scope',
  'authMethod',
  'clientSecret',
  'privateKey',
  'keyId',
  'algorithm',
  'assertionAudience',
  'assertionCertificate',
  'clientCertificate',
  'allowInsecureRequests',
  'timeout',
  'maxTokenResponseBytes',
  'defaultTokenLifetime',
  'dpop',
];
export const CLIENT_CREDENTIALS_KEYS = [...COMMON_KEYS, 'grantType', 'audience', 'extraParams'];
export const PASSWORD_GRANT_KEYS = [...COMMON_KEYS, 'username', 'password'];

export interface CheckedProviderOptions {
  authMethod: ClientAuthMethod;
  /** For `client_secret_jwt` and `private_key_jwt`: signs a new assertion per request. */
  clientAssertion?: () => string;
  clientCertificate?: ClientCertificate;
  /** `x5t#S256` of the client certificate: tokens bound to it are not another's. */
  certificateThumbprint?: string;
  /** The DPoP key and nonce state, made (or parsed) once, at bootstrap. */
  dpop: DpopSession | undefined;
}

const SECRET_METHODS: readonly ClientAuthMethod[] = ['body', 'header', 'client_secret_jwt'];

/**
 * Checks a provider's options and builds what they need, once, at bootstrap; never quotes a key or
 * secret. `secretRequired`: whether `authMethod: 'body'` needs a secret (not a public client's).
 */
export function checkProviderOptions(
  options: OAuthProviderCommonOptions,
  check: OptionChecker,
  secretRequired: boolean,
): CheckedProviderOptions {
  check.record('', options);
  check.optionalString('clientSecret', options.clientSecret);
  const url = check.httpUrl('tokenUrl', options.tokenUrl);
  if (url.username || url.password) check.fail('tokenUrl', 'must not carry credentials in the URL');
  // RFC 6749 §3.2; an assertion's aud would carry it while the request does not.
  if (url.hash || options.tokenUrl.includes('#'))
    check.fail('tokenUrl', 'must not have a fragment');
  // RFC 6749 §3.2: the credentials need TLS, unless on this machine or the user opted out.
  if (url.protocol === 'http:' && !options.allowInsecureRequests && !isLoopback(url.hostname)) {
    check.fail(
      'tokenUrl',
      'must use https (plain http is allowed only for loopback hosts or with allowInsecureRequests: true)',
    );
  }
  check.string('clientId', options.clientId);
  check.string('serviceName', options.serviceName);
  check.optionalString('scope', options.scope);
  check.optionalPositiveDuration('timeout', options.timeout);
  if (options.defaultTokenLifetime !== undefined) {
    // A token given a lifetime under 1 s is refused when it arrives (readTokenFields): say so now.
    check.number('defaultTokenLifetime', options.defaultTokenLifetime, {
      min: SHORTEST_LIFETIME_MS,
      unit: 'milliseconds',
    });
  }
  check.optionalPositiveInteger('maxTokenResponseBytes', options.maxTokenResponseBytes, 'bytes');
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
  for (const field of ['privateKey', 'assertionCertificate'] as const) {
    if (authMethod !== 'private_key_jwt' && options[field] !== undefined) {
      check.fail(field, "applies to authMethod 'private_key_jwt' only");
    }
  }
  if (authMethod === 'private_key_jwt' && (options.privateKey ?? undefined) === undefined) {
    check.fail('privateKey', "is required with authMethod 'private_key_jwt'");
  }
  const { clientCertificate } = options;
  const certificateThumbprint =
    clientCertificate === undefined
      ? undefined
      : checkClientCertificate(check, 'clientCertificate', clientCertificate);
  const isTls = authMethod === 'tls_client_auth' || authMethod === 'self_signed_tls_client_auth';
  if (clientCertificate === undefined && isTls) {
    check.fail('clientCertificate', `is required with authMethod '${authMethod}'`);
  }
  if (isTls && !/^https:/i.test(options.tokenUrl)) {
    check.fail('tokenUrl', `must use https with authMethod '${authMethod}'`);
  }
  const clientAssertion = isJwt ? assertionSigner(options, authMethod, check) : undefined;
  // A bad DPoP key fails the bootstrap, naming `dpop.privateKey`, never quoting it.
  const { dpop } = options;
  const key = dpop === undefined ? undefined : resolveDpopKey(dpop, check.at('dpop'));
  return {
    authMethod,
    clientAssertion,
    clientCertificate,
    certificateThumbprint,
    dpop: key && new DpopSession(key),
  };
}

/** 127.0.0.0/8, ::1 and localhost. */
function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

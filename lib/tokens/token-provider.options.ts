import { DpopOptions, resolveDpopKey } from '../auth/dpop-key';
import { DpopSession } from '../auth/dpop-session';
import { OptionChecker } from '../errors/option-checker';
import {
  checkClientAuthentication,
  CLIENT_AUTHENTICATION_KEYS,
  ClientAuthentication,
  ClientAuthenticationOptions,
} from './client-authentication.options';
import { checkTokenUrl } from './token-url';

/** Options every OAuth2 token provider shares. */
export interface OAuthProviderCommonOptions extends ClientAuthenticationOptions {
  tokenUrl: string;
  clientId: string;
  /** Names the service in storage keys, logs and errors. */
  serviceName: string;
  scope?: string;
  /** Allow a plain-http token URL on a non-loopback host. Default false. */
  allowInsecureRequests?: boolean;
  /** Token endpoint timeout per attempt, in ms, up to the last byte of the body. Default 10_000. */
  timeout?: number;
  /** Largest token response body read, in bytes; a larger one is refused. Default 65_536. */
  maxTokenResponseBytes?: number;
  /** Lifetime of tokens whose response gives no expiry, in ms. Default 3_600_000. */
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
  ...CLIENT_AUTHENTICATION_KEYS,
  'allowInsecureRequests',
  'timeout',
  'maxTokenResponseBytes',
  'defaultTokenLifetime',
  'dpop',
];
export const CLIENT_CREDENTIALS_KEYS = [...COMMON_KEYS, 'grantType', 'audience', 'extraParams'];
export const PASSWORD_GRANT_KEYS = [...COMMON_KEYS, 'username', 'password'];

export interface CheckedProviderOptions extends ClientAuthentication {
  /** The DPoP key and nonce state, made (or parsed) once, at bootstrap. */
  dpop: DpopSession | undefined;
}

/** Checks the shared options; `secretRequired`: whether `authMethod: 'body'` needs a secret. */
export function checkProviderOptions(
  options: OAuthProviderCommonOptions,
  check: OptionChecker,
  secretRequired: boolean,
): CheckedProviderOptions {
  check.record('', options);
  check.optionalString('clientSecret', options.clientSecret);
  checkTokenUrl(options.tokenUrl, check, options.allowInsecureRequests);
  check.string('clientId', options.clientId);
  check.string('serviceName', options.serviceName);
  check.optionalString('scope', options.scope);
  check.optionalPositiveDuration('timeout', options.timeout);
  check.optionalPositiveDuration('defaultTokenLifetime', options.defaultTokenLifetime);
  check.optionalPositiveInteger('maxTokenResponseBytes', options.maxTokenResponseBytes, 'bytes');
  const authentication = checkClientAuthentication(options, check, secretRequired);
  // A bad DPoP key fails the bootstrap, naming `dpop.privateKey`, never quoting it.
  const { dpop } = options;
  const key = dpop === undefined ? undefined : resolveDpopKey(dpop, check.at('dpop'));
  return { ...authentication, dpop: key && new DpopSession(key) };
}

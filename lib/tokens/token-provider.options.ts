import { ConfigurationException } from '../errors';
import { ClientAuthMethod } from './token-endpoint.client';
import { checkTokenUrl } from './token-url';

/** Options every OAuth2 token provider shares. */
export interface OAuthProviderCommonOptions {
  tokenUrl: string;
  clientId: string;
  /** Names the service in storage keys, logs and errors. */
  serviceName: string;
  scope?: string;
  /** `'header'` = HTTP Basic (client_secret_basic, RFC 6749 §2.3.1); `'body'` = client_secret_post. */
  authMethod?: ClientAuthMethod;
  /** Allow a plain-http token URL on a non-loopback host. Default false. */
  allowInsecureRequests?: boolean;
  /** Token endpoint timeout per attempt, in ms, up to the last byte of the body. Default 10_000. */
  timeout?: number;
  /** Largest token response body read, in bytes; a larger one is refused. Default 65_536. */
  maxTokenResponseBytes?: number;
  /** Lifetime of tokens whose response gives no expiry, in ms. Default 3_600_000. */
  defaultTokenLifetime?: number;
}

export interface ClientCredentialsTokenProviderOptions extends OAuthProviderCommonOptions {
  clientSecret: string;
  /** Default `client_credentials` (RFC 6749 §4.4); another value for an extension grant (§4.5). */
  grantType?: string;
  audience?: string;
  /** Extra token request parameters; cannot override grant_type or the client credentials. */
  extraParams?: Record<string, string>;
}

export interface PasswordGrantTokenProviderOptions extends OAuthProviderCommonOptions {
  /** Absent for a public client (RFC 6749 §2.1). */
  clientSecret?: string;
  username: string;
  password: string;
}

/** Where the options come from, so that messages name what the user wrote. */
export interface OptionSource {
  /** e.g. `ClientCredentialsTokenProvider` or `Client "svc"`. */
  context: string;
  /** e.g. `` or `auth.` */
  fieldPrefix: string;
  clientName?: string;
}

const RESERVED_PARAMS = new Set([
  'grant_type',
  'client_id',
  'client_secret',
  'username',
  'password',
]);

export function validateClientCredentialsOptions(
  options: ClientCredentialsTokenProviderOptions,
  source: OptionSource,
): void {
  const check = new OptionChecker(source);
  check.object(options);
  validateCommon(options, check);
  check.requiredString('clientSecret', options.clientSecret);
  check.optionalString('grantType', options.grantType);
  check.optionalString('audience', options.audience);
  if (options.extraParams !== undefined) {
    if (!options.extraParams || typeof options.extraParams !== 'object') {
      throw check.fail('extraParams', 'must be an object of strings');
    }
    for (const [name, value] of Object.entries(options.extraParams)) {
      if (typeof value !== 'string') throw check.fail(`extraParams.${name}`, 'must be a string');
      if (RESERVED_PARAMS.has(name)) {
        throw check.fail(`extraParams.${name}`, 'cannot be set through extraParams');
      }
    }
  }
}

export function validatePasswordGrantOptions(
  options: PasswordGrantTokenProviderOptions,
  source: OptionSource,
): void {
  const check = new OptionChecker(source);
  check.object(options);
  validateCommon(options, check);
  check.optionalString('clientSecret', options.clientSecret);
  check.requiredString('username', options.username);
  check.requiredString('password', options.password);
  if (options.authMethod === 'header' && options.clientSecret === undefined) {
    throw check.fail('authMethod', "'header' needs a clientSecret");
  }
}

function validateCommon(options: OAuthProviderCommonOptions, check: OptionChecker): void {
  checkTokenUrl(options.tokenUrl, {
    context: check.source.context,
    field: `${check.source.fieldPrefix}tokenUrl`,
    allowInsecureRequests: options.allowInsecureRequests,
    clientName: check.source.clientName,
  });
  check.requiredString('clientId', options.clientId);
  check.requiredString('serviceName', options.serviceName);
  check.optionalString('scope', options.scope);
  if (options.authMethod !== undefined && !['body', 'header'].includes(options.authMethod)) {
    throw check.fail('authMethod', "must be 'body' or 'header'");
  }
  check.optionalPositiveNumber('timeout', options.timeout);
  check.optionalPositiveNumber('defaultTokenLifetime', options.defaultTokenLifetime);
  check.optionalByteCount('maxTokenResponseBytes', options.maxTokenResponseBytes);
}

class OptionChecker {
  constructor(readonly source: OptionSource) {}

  fail(field: string, why: string): ConfigurationException {
    const name = `${this.source.fieldPrefix}${field}`;
    return new ConfigurationException(`${this.source.context}: ${name} ${why}`, {
      field: name,
      ...(this.source.clientName ? { clientName: this.source.clientName } : {}),
    });
  }

  object(value: unknown): void {
    if (!value || typeof value !== 'object') {
      const name = this.source.fieldPrefix.replace(/\.$/, '') || 'options';
      throw new ConfigurationException(`${this.source.context}: ${name} must be an object`, {
        field: name,
        ...(this.source.clientName ? { clientName: this.source.clientName } : {}),
      });
    }
  }

  requiredString(field: string, value: unknown): void {
    if (typeof value !== 'string' || value.trim() === '') throw this.fail(field, 'is required');
  }

  optionalString(field: string, value: unknown): void {
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
      throw this.fail(field, 'must be a non-empty string');
    }
  }

  optionalPositiveNumber(field: string, value: unknown): void {
    if (value !== undefined && (typeof value !== 'number' || !(value > 0) || !isFinite(value))) {
      throw this.fail(field, 'must be a positive number of milliseconds');
    }
  }

  optionalByteCount(field: string, value: unknown): void {
    if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) > 0)) {
      throw this.fail(field, 'must be a positive whole number of bytes');
    }
  }
}

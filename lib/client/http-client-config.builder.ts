import { staticAuth } from '../auth/static-auth';
import { TokenAuth } from '../auth/token-auth';
import { TokenManager } from '../tokens/token-manager';
import { RequestAuth } from '../auth/request-auth.interface';
import { appendHooks, ForgeHook, ForgeHooks, NO_HOOKS, NormalizedHooks } from '../hooks/hook.types';
import { LoggingOptions } from './request-logger';
import { ExponentialBackoffRetryOptions, RetryStrategy } from '../retry/retry-strategy';
import {
  CircuitBreakerConfig,
  createAuthRetryStrategy,
  createCircuitBreaker,
  createRetryStrategy,
  RetryStrategyConfig,
} from '../retry/strategy-factories';
import { OptionChecker } from '../errors/option-checker';
import { checkClientCertificate, ClientCertificate } from '../transport/client-certificate';
import { TRANSPORT_KINDS, TransportKind } from '../transport/http-transport';
import { HttpClientConfig } from './http-client-config';
import {
  ForgeClientOptions,
  StaticAuthOptions,
  TokenAuthOptions,
} from './client-options.interface';

/** An auth method as added, made (and its values checked) at `build()`. */
type AuthDraft = StaticAuthOptions | { type: 'token'; tokenManager: TokenManager };

/** A builder's calls, or a module client's plain options, unchecked until `buildConfig`. */
export interface ConfigDraft extends Partial<Omit<ForgeClientOptions, 'auth' | 'hooks'>> {
  auths: AuthDraft[];
  hooks: NormalizedHooks;
  clientCertificate?: ClientCertificate;
}

/**
 * Fluent builder for an immutable `HttpClientConfig`. Values are validated at `build()`, which
 * throws a `ConfigurationException` naming the field.
 */
export class HttpClientConfigBuilder {
  private readonly draft: ConfigDraft = { auths: [], hooks: NO_HOOKS };

  /** @param clientName named in validation errors, and by the client made from the config */
  constructor(private readonly clientName?: string) {}

  withBaseUrl(url: string): this {
    return this.set('baseUrl', url);
  }

  withBearerToken(token: string): this {
    return this.addAuth({ type: 'bearer', token });
  }

  withApiKey(key: string, headerName = 'X-API-Key'): this {
    return this.addAuth({ type: 'api-key', key, headerName });
  }

  withBasicAuth(username: string, password: string): this {
    return this.addAuth({ type: 'basic', username, password });
  }

  /** On a 401 the refused token is dropped and retried per `authRetryStrategy` (default once). */
  withTokenAuth(tokenManager: TokenManager, options: TokenAuthOptions = {}): this {
    this.addAuth({ type: 'token', tokenManager });
    if (options.authRetryStrategy) this.draft.authRetry = options.authRetryStrategy;
    return this.withExcludedPaths(options.excludedPaths ?? []).withExcludedPathPatterns(
      options.excludedPathPatterns ?? [],
    );
  }

  /** Adds paths (exact) that get no credential. */
  withExcludedPaths(paths: readonly string[]): this {
    return this.set('excludedPaths', [...(this.draft.excludedPaths ?? []), ...paths]);
  }

  /** Adds globs (`/public/*`, `*\/health`, `/docs/**`) whose paths get no credential. */
  withExcludedPathPatterns(patterns: readonly string[]): this {
    const added = [...(this.draft.excludedPathPatterns ?? []), ...patterns];
    return this.set('excludedPathPatterns', added);
  }

  withTimeout(ms: number): this {
    return this.set('timeout', ms);
  }

  withHeaders(headers: Record<string, string>): this {
    return this.set('headers', { ...this.draft.headers, ...headers });
  }

  withHeader(name: string, value: string): this {
    return this.withHeaders({ [name]: value });
  }

  /** Adds hooks after those already added; they run in registration order. */
  withHooks(hooks: ForgeHooks | ForgeHook): this {
    return this.set('hooks', appendHooks(this.draft.hooks, hooks));
  }

  /** Logs every attempt through Nest's Logger, always redacted. */
  withLogging(options: LoggingOptions = {}): this {
    return this.set('logging', { ...options });
  }

  /** Retries network errors and 408/429/5xx of idempotent requests, with exponential backoff. */
  withRetry(
    options: Pick<ExponentialBackoffRetryOptions, 'maxRetries' | 'baseDelay' | 'maxDelay'> = {},
  ): this {
    return this.set('retry', { type: 'exponential', ...options });
  }

  /** A strategy instance, or plain options (`{ type: 'exponential', maxRetries: 5 }`). */
  withRetryStrategy(strategy: RetryStrategy | RetryStrategyConfig): this {
    return this.set('retry', strategy);
  }

  /** Fails fast with `CircuitOpenException` after `failureThreshold` consecutive failures. */
  withCircuitBreaker(options: CircuitBreakerConfig = {}): this {
    return this.set('circuitBreaker', { ...options });
  }

  /** No retry (auth or transient) starts later than `ms` after a call began. */
  withDeadline(ms: number): this {
    return this.set('deadline', ms);
  }

  /** Largest API response body in bytes; a larger one fails the attempt, read no further. */
  withMaxContentLength(bytes: number): this {
    return this.set('maxContentLength', bytes);
  }

  /** `'axios'` (default) or `'undici'` (optional peer; `client.close()` it outside a module). */
  withTransport(transport: TransportKind): this {
    return this.set('transport', transport);
  }

  /** Mutual TLS: `{ cert, key, ca?, passphrase? }` (PEM), e.g. for bound tokens (RFC 8705 §3). */
  withClientCertificate(certificate: ClientCertificate): this {
    return this.set('clientCertificate', certificate);
  }

  build(): HttpClientConfig {
    return buildConfig(this.clientName, this.draft);
  }

  private set<K extends keyof ConfigDraft>(key: K, value: ConfigDraft[K]): this {
    this.draft[key] = value;
    return this;
  }

  private addAuth(auth: AuthDraft): this {
    this.draft.auths.push(auth);
    return this;
  }
}

export function buildConfig(clientName: string | undefined, draft: ConfigDraft): HttpClientConfig {
  const p = OptionChecker.forClient(clientName, '', 'HttpClientConfigBuilder');
  const base = p.httpUrl('baseUrl', draft.baseUrl);
  if (base.username || base.password) p.fail('baseUrl', 'must not contain credentials');
  if (base.search || base.hash) p.fail('baseUrl', 'must not contain a query string or fragment');
  const methods = draft.auths.map((auth) => AUTH_METHODS[auth.type]);
  if (methods.length > 1) p.fail('auth', `allows one auth method, got ${methods.join(' and ')}`);
  const { retry, authRetry, circuitBreaker, clientCertificate, maxContentLength } = draft;
  const logging = draft.logging === undefined ? undefined : checkLogging(p, draft.logging);
  // Constructing a breaker checks its options; each client then makes its own.
  if (circuitBreaker !== undefined) createCircuitBreaker(circuitBreaker, clientName);
  if (clientCertificate !== undefined) {
    checkClientCertificate(p, 'clientCertificate', clientCertificate);
  }
  return new HttpClientConfig({
    baseUrl: base.href.replace(/\/+$/, ''),
    timeout: p.optionalPositiveInteger('timeout', draft.timeout, 'milliseconds'),
    headers: p.headerRecord('headers', draft.headers),
    auth: draft.auths[0] && createAuth(p, draft.auths[0]),
    excludedPaths: p.stringArray('excludedPaths', draft.excludedPaths),
    excludedPathPatterns: p.stringArray('excludedPathPatterns', draft.excludedPathPatterns),
    hooks: draft.hooks,
    retryStrategy: retry === undefined ? undefined : createRetryStrategy(retry, clientName),
    authRetryStrategy:
      authRetry === undefined ? undefined : createAuthRetryStrategy(authRetry, clientName),
    circuitBreaker,
    deadline: p.optionalPositiveInteger('deadline', draft.deadline, 'milliseconds'),
    maxContentLength: p.optionalPositiveInteger('maxContentLength', maxContentLength, 'bytes'),
    transport: p.oneOf('transport', draft.transport ?? 'axios', TRANSPORT_KINDS),
    clientCertificate,
    logging,
    clientName,
  });
}

const LOGGING_KEYS = ['logHeaders', 'logBody', 'sensitiveKeys'];

/** The `logging` block, as `withLogging()` and the module option give it. */
function checkLogging(p: OptionChecker, value: unknown): LoggingOptions {
  const record = p.record('logging', value);
  const at = p.at('logging');
  at.knownKeys(record, LOGGING_KEYS);
  return {
    logHeaders:
      record.logHeaders === undefined ? false : at.boolean('logHeaders', record.logHeaders),
    logBody: record.logBody === undefined ? false : at.boolean('logBody', record.logBody),
    sensitiveKeys: at.stringArray('sensitiveKeys', record.sensitiveKeys),
  };
}

/** The builder method of each auth type, for the one-auth-method error. */
const AUTH_METHODS = {
  bearer: 'withBearerToken',
  'api-key': 'withApiKey',
  basic: 'withBasicAuth',
  token: 'withTokenAuth',
};

function createAuth(p: OptionChecker, auth: AuthDraft): RequestAuth {
  switch (auth.type) {
    case 'bearer': {
      const value = p.headerValue('auth.token', auth.token);
      return staticAuth('bearer', { Authorization: `Bearer ${value}` }, [value]);
    }
    case 'api-key': {
      const value = p.headerValue('auth.key', auth.key);
      const name = p.headerName('auth.headerName', auth.headerName ?? 'X-API-Key');
      return staticAuth('api-key', { [name]: value }, [value]);
    }
    case 'basic': {
      const { password } = auth;
      const user = p.headerValue('auth.username', auth.username);
      // RFC 7617 §2: the user-id cannot contain a colon.
      if (user.includes(':')) p.fail('auth.username', 'must not contain ":"');
      if (password === undefined) p.fail('auth.password', 'is required');
      if (typeof password !== 'string') p.fail('auth.password', 'must be a string');
      if (password !== '') p.headerValue('auth.password', password);
      // RFC 7617: `Authorization: Basic base64(user:password)`.
      const encoded = Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
      return staticAuth('basic', { Authorization: `Basic ${encoded}` }, [password, encoded]);
    }
    case 'token':
      if (!(auth.tokenManager instanceof TokenManager)) p.fail('auth.tokenManager', 'is required');
      return new TokenAuth(auth.tokenManager);
  }
}

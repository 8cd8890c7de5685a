import { staticAuth } from '../auth/static-auth';
import { TokenAuth } from '../auth/token-auth';
import { TokenManager } from '../tokens/token-manager';
import { RequestAuth } from '../auth/request-auth.interface';
import { appendHooks, ForgeHook, ForgeHooks, NO_HOOKS, NormalizedHooks } from '../hooks/hook.types';
import { LoggingOptions } from './request-logger';
import { AuthRetryStrategy } from '../retry/auth-retry-strategies';
import { ExponentialBackoffRetryOptions, RetryStrategy } from '../retry/retry-strategy';
import {
  CircuitBreakerConfig,
  AuthRetryStrategyConfig,
  createAuthRetryStrategy,
  createCircuitBreaker,
  createRetryStrategy,
  RetryStrategyConfig,
} from '../retry/strategy-factories';
import { OptionChecker } from '../errors/option-checker';
import { checkClientCertificate, ClientCertificate } from '../transport/client-certificate';
import { TRANSPORT_KINDS, TransportKind } from '../transport/http-transport';
import { HttpClientConfig } from './http-client-config';
import { TokenAuthOptions } from './client-options.interface';

/**
 * Fluent builder for an immutable `HttpClientConfig`. Values are validated at `build()`, which
 * throws a `ConfigurationException` naming the field.
 */
export class HttpClientConfigBuilder {
  private baseUrl?: string;
  private timeout?: number;
  private readonly headers: Record<string, string> = {};
  private readonly auths: { method: string; create(check: OptionChecker): RequestAuth }[] = [];
  private readonly excludedPaths: string[] = [];
  private readonly excludedPathPatterns: string[] = [];
  private hooks: NormalizedHooks = NO_HOOKS;
  private logging?: LoggingOptions;
  private retry?: RetryStrategyConfig | RetryStrategy;
  private authRetry?: AuthRetryStrategy | AuthRetryStrategyConfig;
  private circuitBreaker?: CircuitBreakerConfig;
  private deadline?: number;
  private maxContentLength?: number;
  private transport?: TransportKind;
  private clientCertificate?: ClientCertificate;

  /** @param clientName named in validation errors */
  constructor(private readonly clientName?: string) {}

  withBaseUrl(url: string): this {
    this.baseUrl = url;
    return this;
  }

  withBearerToken(token: string): this {
    this.auths.push({
      method: 'withBearerToken',
      create: (p) => {
        const value = p.headerValue('auth.token', token);
        return staticAuth('bearer', { Authorization: `Bearer ${value}` }, [value]);
      },
    });
    return this;
  }

  withApiKey(key: string, headerName = 'X-API-Key'): this {
    this.auths.push({
      method: 'withApiKey',
      create: (p) => {
        const value = p.headerValue('auth.key', key);
        const name = p.headerName('auth.headerName', headerName);
        return staticAuth('api-key', { [name]: value }, [value]);
      },
    });
    return this;
  }

  withBasicAuth(username: string, password: string): this {
    this.auths.push({
      method: 'withBasicAuth',
      create: (p) => {
        const user = p.headerValue('auth.username', username);
        // RFC 7617 §2: the user-id cannot contain a colon.
        if (user.includes(':')) p.fail('auth.username', 'must not contain ":"');
        if (password === undefined) p.fail('auth.password', 'is required');
        if (typeof password !== 'string') p.fail('auth.password', 'must be a string');
        if (password !== '') p.headerValue('auth.password', password);
        // RFC 7617: `Authorization: Basic base64(user:password)`.
        const encoded = Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
        return staticAuth('basic', { Authorization: `Basic ${encoded}` }, [password, encoded]);
      },
    });
    return this;
  }

  /**
   * OAuth2 tokens from `tokenManager` on every request to the base origin. On a 401 the refused
   * token is invalidated and the request retried as `authRetryStrategy` says (default: once).
   */
  withTokenAuth(tokenManager: TokenManager, options: TokenAuthOptions = {}): this {
    this.auths.push({
      method: 'withTokenAuth',
      create: (p) => {
        if (!(tokenManager instanceof TokenManager)) p.fail('auth.tokenManager', 'is required');
        return new TokenAuth(tokenManager);
      },
    });
    if (options.authRetryStrategy) this.authRetry = options.authRetryStrategy;
    return this.withExcludedPaths(options.excludedPaths ?? []).withExcludedPathPatterns(
      options.excludedPathPatterns ?? [],
    );
  }

  /** Adds paths (exact) that get no credential. */
  withExcludedPaths(paths: readonly string[]): this {
    this.excludedPaths.push(...paths);
    return this;
  }

  /** Adds globs (`/public/*`, `*\/health`, `/docs/**`) whose paths get no credential. */
  withExcludedPathPatterns(patterns: readonly string[]): this {
    this.excludedPathPatterns.push(...patterns);
    return this;
  }

  withTimeout(ms: number): this {
    this.timeout = ms;
    return this;
  }

  withHeaders(headers: Record<string, string>): this {
    Object.assign(this.headers, headers);
    return this;
  }

  withHeader(name: string, value: string): this {
    this.headers[name] = value;
    return this;
  }

  /** Adds hooks after those already added; they run in registration order. */
  withHooks(hooks: ForgeHooks | ForgeHook): this {
    this.hooks = appendHooks(this.hooks, hooks);
    return this;
  }

  /** Logs every attempt through Nest's Logger, always redacted. */
  withLogging(options: LoggingOptions = {}): this {
    this.logging = { ...options };
    return this;
  }

  /**
   * Retries transient failures (network errors, 408/429/5xx; idempotent methods or an
   * `Idempotency-Key`) with exponential backoff and jitter.
   */
  withRetry(
    options: Pick<ExponentialBackoffRetryOptions, 'maxRetries' | 'baseDelay' | 'maxDelay'> = {},
  ): this {
    this.retry = { type: 'exponential', ...options };
    return this;
  }

  /** A strategy instance, or plain options (`{ type: 'exponential', maxRetries: 5 }`). */
  withRetryStrategy(strategy: RetryStrategy | RetryStrategyConfig): this {
    this.retry = strategy;
    return this;
  }

  /** Fails fast with `CircuitOpenException` after `failureThreshold` consecutive failures. */
  withCircuitBreaker(options: CircuitBreakerConfig = {}): this {
    this.circuitBreaker = { ...options };
    return this;
  }

  /** No retry (auth or transient) starts later than `ms` after a call began. */
  withDeadline(ms: number): this {
    this.deadline = ms;
    return this;
  }

  /** Largest API response body in bytes; a larger one fails the attempt, read no further. */
  withMaxContentLength(bytes: number): this {
    this.maxContentLength = bytes;
    return this;
  }

  /**
   * `'axios'` (default): axios' Node adapter. `'undici'`: the same HttpService API over an
   * undici Agent of the client's own (the optional peer `undici` must be installed); close it
   * with `client.close()` when the client is not a module's.
   */
  withTransport(transport: TransportKind): this {
    this.transport = transport;
    return this;
  }

  /**
   * Mutual TLS: `{ cert, key, ca?, passphrase? }` (PEM) presented to the API when it asks for a
   * client certificate, as certificate-bound tokens need (RFC 8705 §3).
   */
  withClientCertificate(certificate: ClientCertificate): this {
    this.clientCertificate = certificate;
    return this;
  }

  build(): HttpClientConfig {
    const { clientName } = this;
    const p =
      clientName === undefined
        ? new OptionChecker('HttpClientConfigBuilder')
        : OptionChecker.forClient(clientName);
    const base = p.httpUrl('baseUrl', this.baseUrl);
    if (base.username || base.password) p.fail('baseUrl', 'must not contain credentials');
    if (base.search || base.hash) p.fail('baseUrl', 'must not contain a query string or fragment');
    if (this.auths.length > 1) {
      p.fail(
        'auth',
        `allows one auth method, got ${this.auths.map((a) => a.method).join(' and ')}`,
      );
    }
    return new HttpClientConfig({
      baseUrl: base.href.replace(/\/+$/, ''),
      timeout: p.optionalPositiveInteger('timeout', this.timeout, 'milliseconds'),
      headers: p.headerRecord('headers', this.headers),
      auth: this.auths[0]?.create(p),
      excludedPaths: p.stringArray('excludedPaths', this.excludedPaths),
      excludedPathPatterns: p.stringArray('excludedPathPatterns', this.excludedPathPatterns),
      hooks: this.hooks,
      retryStrategy:
        this.retry === undefined
          ? undefined
          : createRetryStrategy(this.retry, { field: 'retry', clientName }),
      authRetryStrategy:
        this.authRetry === undefined
          ? undefined
          : createAuthRetryStrategy(this.authRetry, { field: 'authRetry', clientName }),
      circuitBreaker: this.checkedCircuitBreaker(),
      deadline: p.optionalPositiveInteger('deadline', this.deadline, 'milliseconds'),
      maxContentLength: p.optionalPositiveInteger(
        'maxContentLength',
        this.maxContentLength,
        'bytes',
      ),
      transport: p.oneOf('transport', this.transport ?? 'axios', TRANSPORT_KINDS),
      clientCertificate: this.checkedClientCertificate(p),
      logging: this.logging && {
        ...this.logging,
        sensitiveKeys: p.stringArray('logging.sensitiveKeys', this.logging.sensitiveKeys),
      },
    });
  }

  private checkedClientCertificate(p: OptionChecker): ClientCertificate | undefined {
    if (this.clientCertificate === undefined) return undefined;
    checkClientCertificate(p, 'clientCertificate', this.clientCertificate);
    return { ...this.clientCertificate };
  }

  private checkedCircuitBreaker(): CircuitBreakerConfig | undefined {
    if (this.circuitBreaker === undefined) return undefined;
    // Constructing one validates the options; each client then makes its own breaker.
    createCircuitBreaker(this.circuitBreaker, { clientName: this.clientName });
    return this.circuitBreaker;
  }
}

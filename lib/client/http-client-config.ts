import { RequestAuth } from '../auth/request-auth.interface';
import { NO_HOOKS, NormalizedHooks } from '../hooks/hook.types';
import { LoggingOptions } from './request-logger';
import { AuthRetryStrategy } from '../retry/auth-retry-strategies';
import { CircuitBreakerConfig } from '../retry/strategy-factories';
import { RetryStrategy } from '../retry/retry-strategy';
import type { ClientCertificate } from '../transport/client-certificate';
import { TransportKind } from '../transport/http-transport';

/** Everything a ForgeClient needs; immutable, made by `HttpClientConfigBuilder.build()`. */
export interface HttpClientConfigInit {
  baseUrl: string;
  timeout?: number;
  headers: Readonly<Record<string, string>>;
  auth?: RequestAuth;
  excludedPaths: readonly string[];
  excludedPathPatterns: readonly string[];
  hooks?: NormalizedHooks;
  logging?: LoggingOptions;
  retryStrategy?: RetryStrategy;
  authRetryStrategy?: AuthRetryStrategy;
  circuitBreaker?: CircuitBreakerConfig;
  deadline?: number;
  maxContentLength?: number;
  transport?: TransportKind;
  clientCertificate?: ClientCertificate;
}

export class HttpClientConfig {
  /** Base URL without a trailing slash. */
  readonly baseUrl: string;
  readonly timeout?: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly auth?: RequestAuth;
  readonly excludedPaths: readonly string[];
  readonly excludedPathPatterns: readonly string[];
  readonly hooks: NormalizedHooks;
  /** Absent: no request logging. */
  readonly logging?: Readonly<LoggingOptions>;
  /** Transient failures; absent: none retried. */
  readonly retryStrategy?: RetryStrategy;
  /** 401s with token auth; absent: one retry with a new token. */
  readonly authRetryStrategy?: AuthRetryStrategy;
  /** Absent: no circuit breaker. Each ForgeClient keeps its own breaker state. */
  readonly circuitBreaker?: Readonly<CircuitBreakerConfig>;
  /** Ms after which no retry (auth or transient) starts for a call. */
  readonly deadline?: number;
  /** Largest API response body in bytes; absent: unlimited, as axios. */
  readonly maxContentLength?: number;
  /** `'axios'` (default): axios' Node adapter; `'undici'`: our axios adapter on undici. */
  readonly transport: TransportKind;
  /** Mutual TLS: presented to servers that ask for a client certificate. */
  readonly clientCertificate?: Readonly<ClientCertificate>;

  constructor(init: HttpClientConfigInit) {
    this.baseUrl = init.baseUrl;
    if (init.timeout !== undefined) this.timeout = init.timeout;
    this.headers = Object.freeze({ ...init.headers });
    if (init.auth) this.auth = init.auth;
    this.excludedPaths = Object.freeze([...init.excludedPaths]);
    this.excludedPathPatterns = Object.freeze([...init.excludedPathPatterns]);
    this.hooks = init.hooks ?? NO_HOOKS;
    if (init.logging) this.logging = Object.freeze({ ...init.logging });
    if (init.retryStrategy) this.retryStrategy = init.retryStrategy;
    if (init.authRetryStrategy) this.authRetryStrategy = init.authRetryStrategy;
    if (init.circuitBreaker) this.circuitBreaker = Object.freeze({ ...init.circuitBreaker });
    if (init.deadline !== undefined) this.deadline = init.deadline;
    if (init.maxContentLength !== undefined) this.maxContentLength = init.maxContentLength;
    this.transport = init.transport ?? 'axios';
    if (init.clientCertificate)
      this.clientCertificate = Object.freeze({ ...init.clientCertificate });
    Object.freeze(this);
  }
}

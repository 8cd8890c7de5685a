import { RequestAuth } from '../auth/request-auth.interface';
import { NormalizedHooks } from '../hooks/hook.types';
import { LoggingOptions } from './request-logger';
import { AuthRetryStrategy } from '../retry/auth-retry-strategies';
import { CircuitBreakerConfig } from '../retry/strategy-factories';
import { RetryStrategy } from '../retry/retry-strategy';
import type { ClientCertificate } from '../transport/client-certificate';
import { TransportKind } from '../transport/http-transport';

/** Everything a ForgeClient needs; immutable, made by `HttpClientConfigBuilder.build()`. */
export class HttpClientConfig {
  /** Base URL without a trailing slash. */
  readonly baseUrl!: string;
  readonly timeout?: number;
  readonly headers!: Readonly<Record<string, string>>;
  readonly auth?: RequestAuth;
  readonly excludedPaths!: readonly string[];
  readonly excludedPathPatterns!: readonly string[];
  readonly hooks!: NormalizedHooks;
  /** Absent: no request logging. */
  readonly logging?: Readonly<LoggingOptions>;
  /** Transient failures; absent: none retried. */
  readonly retryStrategy?: RetryStrategy;
  /** 401s with token auth; absent: one retry with a new token. */
  readonly authRetryStrategy?: AuthRetryStrategy;
  /** Absent: no circuit breaker. Each ForgeClient keeps its own breaker state. */
  readonly circuitBreaker?: Readonly<CircuitBreakerConfig>;
  readonly deadline?: number;
  /** Largest API response body in bytes; absent: unlimited, as axios. */
  readonly maxContentLength?: number;
  /** `'axios'` (default): axios' Node adapter; `'undici'`: our axios adapter on undici. */
  readonly transport!: TransportKind;
  readonly clientCertificate?: Readonly<ClientCertificate>;
  /** The builder's name: a ForgeClient made from this config names itself so (errors, metrics). */
  readonly clientName?: string;

  constructor(init: HttpClientConfig) {
    Object.assign(this, init, {
      headers: Object.freeze({ ...init.headers }),
      excludedPaths: Object.freeze([...init.excludedPaths]),
      excludedPathPatterns: Object.freeze([...init.excludedPathPatterns]),
      logging: init.logging && Object.freeze({ ...init.logging }),
      circuitBreaker: init.circuitBreaker && Object.freeze({ ...init.circuitBreaker }),
      clientCertificate: init.clientCertificate && Object.freeze({ ...init.clientCertificate }),
    });
    Object.freeze(this);
  }
}

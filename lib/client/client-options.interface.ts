import { Type } from '@nestjs/common';
import { ForgeHook, ForgeHooks } from '../hooks/hook.types';
import { LoggingOptions } from './request-logger';
import { AuthRetryStrategy } from '../retry/auth-retry-strategies';
import { RetryStrategy } from '../retry/retry-strategy';
import {
  AuthRetryStrategyConfig,
  CircuitBreakerConfig,
  RetryStrategyConfig,
} from '../retry/strategy-factories';
import { PipelineAuthOptions } from '../pipeline/pipeline-auth.options';
import {
  ClientCredentialsAuthOptions,
  PasswordAuthOptions,
} from '../tokens/token-provider.factory';
import { TokenManager } from '../tokens/token-manager';
import type { FailureBackoffOptions } from '../tokens/failure-backoff';
import type { EncryptedTokenStorageOptions } from '../storage/encrypted-token-storage';
import { RedisLockConfig } from '../storage/redis-lock-config';
import { TokenLock } from '../storage/token-lock.interface';
import { TokenStorage } from '../storage/token-storage.interface';
import { HttpClientConfig } from './http-client-config';

export type StaticAuthOptions =
  | { type: 'bearer'; token: string }
  | { type: 'api-key'; key: string; /** Default `X-API-Key`. */ headerName?: string }
  | { type: 'basic'; username: string; password: string };

/** OAuth2 and pipeline auth: the module builds a TokenProvider and a TokenManager for them. */
export type TokenAuthOptionsPlain =
  ClientCredentialsAuthOptions | PasswordAuthOptions | PipelineAuthOptions;

/** Per-client options, plain and serializable (`@nestjs/config`, YAML, env); durations in ms. */
export interface ForgeClientOptions {
  baseUrl: string;
  timeout?: number;
  headers?: Record<string, string>;
  /** Plain auth options, or a `TokenManager` built in code. */
  auth?: StaticAuthOptions | TokenAuthOptionsPlain | TokenManager;
  /** Paths (exact) that get no credential. */
  excludedPaths?: string[];
  /** Globs (`/public/*`, `*\/health`, `/docs/**`) that get no credential. */
  excludedPathPatterns?: string[];
  /**
   * `'cache'` (CACHE_MANAGER), `'memory'`, a TokenStorage, or `{ type, encryption }` (AES-256-GCM
   * at rest). Default: CACHE_MANAGER when a CacheModule is visible, else memory.
   */
  storage?:
    | 'memory'
    | 'cache'
    | { type: 'memory' | 'cache'; encryption?: EncryptedTokenStorageOptions }
    | TokenStorage;
  /** Renew tokens this many ms before they expire (token auth). Default 60_000. */
  refreshSkew?: number;
  /**
   * No token request for `initial` ms after a failed fetch, doubling per failure up to `max`
   * (token auth). Default `{ initial: 1_000, max: 30_000 }`.
   */
  failureBackoff?: FailureBackoffOptions;
  /**
   * Cross-process single flight for token fetches: `{ type: 'redis', url, keyPrefix? }` (the module
   * opens and closes the connection) or a `TokenLock` instance (yours to close). Default: in-process.
   */
  lock?: RedisLockConfig | TokenLock;
  /** Transient-failure retries: `{ type: 'exponential', maxRetries: 3, ... }` or an instance. */
  retry?: RetryStrategyConfig | RetryStrategy;
  /** 401 retries with token auth: `{ type: 'simple', maxRetries: 1 }` (default) or an instance. */
  authRetry?: AuthRetryStrategyConfig | AuthRetryStrategy;
  /** `{ failureThreshold: 5, recoveryTimeout: 30_000, halfOpenMaxCalls: 1 }`. */
  circuitBreaker?: CircuitBreakerConfig;
  /** Ms after which no retry (auth or transient) starts for a call. */
  deadline?: number;
  /** Largest API response body in bytes (a request's own `maxContentLength` wins). */
  maxContentLength?: number;
  /** `'axios'` (default) or `'undici'` (needs the optional peer `undici`). */
  transport?: 'axios' | 'undici';
  /** Request logging through Nest's Logger, always redacted. Absent: no logging. */
  logging?: LoggingOptions;
  /** Run in order: hook objects, hook instances, or injectable `ForgeHook` classes (from DI). */
  hooks?: (ForgeHooks | ForgeHook | Type<ForgeHook>)[];
}

/** What `forRoot` takes and what `forRootAsync`'s factory returns. */
export interface RequestForgeModuleOptions {
  clients: Record<string, ForgeClientOptions | HttpClientConfig>;
}

export interface TokenAuthOptions {
  /** Paths (exact) that get no token. */
  excludedPaths?: readonly string[];
  /** Globs that get no token. */
  excludedPathPatterns?: readonly string[];
  /** How 401s are retried; default `new SimpleAuthRetryStrategy({ maxRetries: 1 })`. */
  authRetryStrategy?: AuthRetryStrategy | AuthRetryStrategyConfig;
}

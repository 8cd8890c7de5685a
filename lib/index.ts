// The public surface: what users write (shared/DESIGN.md). Everything else stays internal.

// The client and its configuration
export { ForgeClient } from './client/forge-client';
export { HttpClientConfigBuilder } from './client/http-client-config.builder';
export { HttpClientConfig } from './client/http-client-config';
export type {
  ForgeClientOptions,
  RequestForgeModuleOptions,
} from './client/client-options.interface';

// The Nest module
export { RequestForgeModule } from './request-forge.module';
export type { RequestForgeOptionsFactory } from './request-forge.module-definition';
export { ForgeClientRegistry } from './forge-client.registry';
export { InjectForgeClient, InjectTokenManager } from './decorators/inject-forge-client.decorator';
export {
  getForgeClientToken,
  getTokenManagerToken,
  getTokenProviderToken,
  getTokenStorageToken,
} from './request-forge.constants';

// Tokens
export { TokenData } from './tokens/token-data';
export type { TokenDataJson } from './tokens/token-data';
export type { TokenProvider } from './tokens/token-provider.interface';
export { TokenManager } from './tokens/token-manager';
export { ClientCredentialsTokenProvider } from './tokens/client-credentials.token-provider';
export { PasswordGrantTokenProvider } from './tokens/password-grant.token-provider';

// Storage and locks
export type { TokenStorage } from './storage/token-storage.interface';
export { InMemoryTokenStorage } from './storage/in-memory-token-storage';
export { CacheManagerTokenStorage } from './storage/cache-manager-token-storage';
export { EncryptedTokenStorage } from './storage/encrypted-token-storage';
export type { ExclusiveWork, TokenLock } from './storage/token-lock.interface';
export { RedisTokenLock } from './storage/redis-token-lock';

// Multi-step token pipelines
export { BodyTokenFetcher } from './pipeline/body-token-fetcher';
export { HeaderTokenFetcher } from './pipeline/header-token-fetcher';
export type { PipelineContext } from './pipeline/pipeline-context';
export type { RequestData } from './pipeline/token-fetcher.options';
export { TokenFetchPipeline } from './pipeline/token-fetch-pipeline';
export { PipelineTokenProvider } from './pipeline/pipeline-token-provider';

// Retry, auth retry and circuit breaker, also as RxJS operators for a plain HttpService
export type { RetryStrategy } from './retry/retry-strategy';
export type { RequestFailure } from './retry/request-failure';
export {
  ExponentialBackoffRetryStrategy,
  NoRetryStrategy,
  SimpleRetryStrategy,
} from './retry/retry-strategy';
export type { AuthRetryStrategy } from './retry/auth-retry-strategies';
export {
  ConditionalAuthRetryStrategy,
  ExponentialAuthRetryStrategy,
  SimpleAuthRetryStrategy,
} from './retry/auth-retry-strategies';
export { CircuitBreaker } from './retry/circuit-breaker';
export { authRetry, circuitBreaker, resilience, retryRequest } from './retry/retry-operators';

// Hooks
export type { ForgeHook, ForgeHooks, HookContext } from './hooks/hook.types';
export { correlationIdHook, rateLimitHook } from './hooks/built-in.hooks';
export type { RateLimitInfo } from './hooks/built-in.hooks';

// Errors
export {
  AuthenticationException,
  CircuitOpenException,
  ConfigurationException,
  ConnectionException,
  HttpStatusException,
  RequestForgeException,
  TimeoutException,
} from './errors';

export { RequestDescription, RequestFailure, classifyFailure } from './request-failure';
export { parseRetryAfter } from './retry-after';
export { RandomSource, BackoffSettings, exponentialDelay } from './backoff';
export { WithAttempts, attemptsOf } from './attempts';
export {
  RetryStrategy,
  DEFAULT_RETRYABLE_STATUS_CODES,
  NoRetryStrategy,
  isReplayable,
  isTransient,
} from './retry-strategy';
export * from './simple-retry-strategy';
export * from './exponential-backoff-retry-strategy';
export * from './auth-retry-strategies';
export * from './circuit-breaker';
export { RetryEvent, RetryRequestOptions, retryRequest } from './retry-request.operator';
export { TokenInvalidator, AuthRetryOptions, authRetry, refusedToken } from './auth-retry.operator';
export * from './circuit-breaker.operator';
export * from './resilience.operator';
export * from './strategy-factories';

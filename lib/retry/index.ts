export type { RequestFailure } from './request-failure';
export { classifyFailure } from './request-failure';
export { parseRetryAfter } from './retry-after';
export type { RandomSource, BackoffSettings } from './backoff';
export { exponentialDelay } from './backoff';
export type { WithAttempts } from './attempts';
export { attemptsOf } from './attempts';
export type { RetryStrategy } from './retry-strategy';
export {
  DEFAULT_RETRYABLE_STATUS_CODES,
  NoRetryStrategy,
  isReplayable,
  isTransient,
} from './retry-strategy';
export * from './simple-retry-strategy';
export * from './exponential-backoff-retry-strategy';
export * from './auth-retry-strategies';
export * from './circuit-breaker';
export type { RetryEvent, RetryRequestOptions } from './retry-request.operator';
export { retryRequest } from './retry-request.operator';
export type { TokenInvalidator, AuthRetryOptions } from './auth-retry.operator';
export { authRetry, refusedToken } from './auth-retry.operator';
export * from './circuit-breaker.operator';
export * from './resilience.operator';
export * from './strategy-factories';

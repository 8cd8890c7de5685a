import { MonoTypeOperatorFunction, Observable, defer } from 'rxjs';
import { authRetryUntil, AuthRetryOptions } from './auth-retry.operator';
import { CircuitBreaker } from './circuit-breaker';
import { circuitBreaker } from './circuit-breaker.operator';
import { RetryRequestOptions, retryRequestUntil, validateDeadline } from './retry-request.operator';
import { RetryStrategy } from './retry-strategy';

export interface ResilienceOptions {
  /** 401 handling; omit for static credentials. */
  authRetry?: Pick<AuthRetryOptions, 'strategy' | 'tokenManager' | 'onUnauthorized'>;
  retry?: RetryStrategy;
  onRetry?: RetryRequestOptions['onRetry'];
  circuitBreaker?: CircuitBreaker;
  /** Bounds auth retries and request retries together: no retry starts after it. */
  deadlineMs?: number;
  /** Clock for the deadline. Default `Date.now`. */
  now?: () => number;
}

/**
 * The three operators in the order a client applies them:
 * `authRetry` (innermost: a 401 is retried with a new token) → `retryRequest` (transient
 * failures, each retry getting its own auth retries) → `circuitBreaker` (one call counts once).
 * One deadline, fixed when the call is subscribed, bounds both retry loops.
 */
export function resilience<T>(options: ResilienceOptions): MonoTypeOperatorFunction<T> {
  validateDeadline('resilience', options.deadlineMs);
  const now = options.now ?? Date.now;
  return (source: Observable<T>) => {
    const guarded = defer(() => {
      const deadlineAt = options.deadlineMs === undefined ? undefined : now() + options.deadlineMs;
      const steps: MonoTypeOperatorFunction<T>[] = [];
      if (options.authRetry) {
        steps.push(authRetryUntil<T>({ ...options.authRetry, now }, () => deadlineAt));
      }
      if (options.retry) {
        const retryOptions = { onRetry: options.onRetry, now };
        steps.push(retryRequestUntil<T>(options.retry, retryOptions, () => deadlineAt));
      }
      return steps.reduce((observable, step) => observable.pipe(step), source);
    });
    return options.circuitBreaker ? guarded.pipe(circuitBreaker(options.circuitBreaker)) : guarded;
  };
}

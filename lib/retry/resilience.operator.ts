import { MonoTypeOperatorFunction } from 'rxjs';
import { authRetryDecision, AuthRetryOptions } from './auth-retry.operator';
import { CircuitBreaker } from './circuit-breaker';
import { requestRetryDecision, RetryRequestOptions } from './retry-request.operator';
import { DeadlineOptions, RetryDecision, relativeDeadline, retryLoop } from './retry-loop';
import { RetryStrategy } from './retry-strategy';

/** `deadlineMs` bounds auth retries and request retries together: no retry starts after it. */
export interface ResilienceOptions extends DeadlineOptions {
  /** 401 handling; omit for static credentials. */
  authRetry?: Pick<AuthRetryOptions, 'strategy' | 'tokenManager' | 'onUnauthorized'>;
  retry?: RetryStrategy;
  onRetry?: RetryRequestOptions['onRetry'];
  circuitBreaker?: CircuitBreaker;
}

/**
 * `authRetry` → `retryRequest` → `circuitBreaker` as one operator, with the same decisions as
 * the three in that order: a 401 is retried with a new token first; a transient failure is retried
 * as the strategy says, each such retry getting its own auth retries; the breaker counts one call
 * once, retries included. One deadline, fixed when the call is subscribed, bounds both. Built
 * once, it costs a call one subscriber.
 */
export function resilience<T>(options: ResilienceOptions): MonoTypeOperatorFunction<T> {
  return resilienceLoop<T>(options);
}

/**
 * `resilience`, and `finalError` maps the error the caller finally gets (a client's own use);
 * `nonceRetry` (DPoP) is consulted first, and never twice in a row.
 */
export function resilienceLoop<T>(
  options: ResilienceOptions,
  finalError?: (error: unknown) => unknown,
  nonceRetry?: RetryDecision,
): MonoTypeOperatorFunction<T> {
  const deadlineAt = relativeDeadline('resilience', options.deadlineMs, options.now);
  const auth = options.authRetry && authRetryDecision(options.authRetry);
  const request = options.retry && requestRetryDecision(options.retry, options.onRetry);
  return retryLoop<T>({
    now: options.now,
    deadlineAt,
    breaker: options.circuitBreaker,
    finalError,
    start: () => combined(auth, request, nonceRetry),
  });
}

/**
 * Auth retries nested in request retries: the auth count starts over after each request retry.
 * A nonce retry (one new proof, same token) counts as neither and never follows another one.
 */
function combined(
  auth?: RetryDecision,
  request?: RetryDecision,
  nonce?: RetryDecision,
): RetryDecision {
  let authRetries = 0;
  let requestRetries = 0;
  let afterNonceRetry = false;
  return (error) => {
    const nonceStep = afterNonceRetry ? undefined : nonce?.(error, 1);
    afterNonceRetry = nonceStep !== undefined;
    if (nonceStep) return nonceStep;
    const authStep = auth?.(error, authRetries + 1);
    if (authStep) {
      authRetries += 1;
      return authStep;
    }
    const step = request?.(error, requestRetries + 1);
    if (step) {
      requestRetries += 1;
      authRetries = 0;
    }
    return step;
  };
}

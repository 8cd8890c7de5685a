import { MonoTypeOperatorFunction } from 'rxjs';
import { RequestFailure, classifyFailure } from './request-failure';
import { DeadlineOptions, RetryDecision, relativeDeadline, retryLoop } from './retry-loop';
import { RetryStrategy } from './retry-strategy';

/** What `onRetry` is told before each wait. */
export interface RetryEvent {
  error: unknown;
  failure: RequestFailure;
  /** 1-based number of the retry about to be made. */
  retry: number;
  delayMs: number;
}

export interface RetryRequestOptions extends DeadlineOptions {
  /** Called before each wait, e.g. to log. */
  onRetry?: (event: RetryEvent) => void;
}

/**
 * Retries a cold request observable (a `ForgeClient` call, or an `HttpService` call wrapped in
 * `defer`) as `strategy` decides. Each retry is a fresh subscription, so a fresh request. When it
 * gives up, the caller gets the last error with `attempts` set.
 */
export function retryRequest<T>(
  strategy: RetryStrategy,
  options: RetryRequestOptions = {},
): MonoTypeOperatorFunction<T> {
  const deadlineAt = relativeDeadline('retryRequest', options.deadlineMs, options.now);
  const decide = requestRetryDecision(strategy, options.onRetry);
  return retryLoop<T>({ now: options.now, deadlineAt, start: () => decide });
}

/** Whether and when a failed request is sent again, as `strategy` says. */
export function requestRetryDecision(
  strategy: RetryStrategy,
  onRetry?: RetryRequestOptions['onRetry'],
): RetryDecision {
  return (error, retry) => {
    const failure = classifyFailure(error);
    if (!failure) return undefined;
    const delayMs = strategy.retryDelay(failure, retry);
    if (delayMs === undefined) return undefined;
    return { delayMs, before: onRetry && (() => onRetry({ error, failure, retry, delayMs })) };
  };
}

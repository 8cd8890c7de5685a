import { OptionChecker } from '../errors/option-checker';
import { RequestFailure } from './request-failure';
import {
  DEFAULT_RETRYABLE_STATUS_CODES,
  RetryStrategy,
  transientRetryDelay,
} from './retry-strategy';

export interface SimpleRetryOptions {
  /** Default 3. */
  maxRetries?: number;
  /** Fixed wait between attempts in ms. Default 1000. */
  delay?: number;
  /** Cap on a server's `Retry-After`. Default 60_000. */
  maxDelay?: number;
  /** Default 408, 429, 500, 502, 503, 504. */
  retryableStatusCodes?: readonly number[];
  /** Clock for `Retry-After` dates. Default `Date.now`. */
  now?: () => number;
}

/**
 * Retries network errors, timeouts and the retryable statuses of idempotent requests (or requests
 * with an `Idempotency-Key`) after a fixed `delay`; a `Retry-After` from the server replaces the
 * delay, capped by `maxDelay`.
 */
export class SimpleRetryStrategy implements RetryStrategy {
  readonly maxRetries: number;
  readonly delay: number;
  readonly maxDelay: number;
  readonly retryableStatusCodes: readonly number[];
  private readonly now: () => number;

  constructor(options: SimpleRetryOptions = {}) {
    const check = new OptionChecker('SimpleRetryStrategy');
    this.maxRetries = check.count('maxRetries', options.maxRetries ?? 3);
    this.delay = check.duration('delay', options.delay ?? 1000);
    this.maxDelay = check.duration('maxDelay', options.maxDelay ?? 60_000);
    this.retryableStatusCodes = check.statusCodes(
      'retryableStatusCodes',
      options.retryableStatusCodes ?? DEFAULT_RETRYABLE_STATUS_CODES,
    );
    this.now = check.func('now', options.now ?? Date.now);
  }

  retryDelay(failure: RequestFailure, retry: number): number | undefined {
    return transientRetryDelay(this, failure, retry, this.now, () => this.delay);
  }
}

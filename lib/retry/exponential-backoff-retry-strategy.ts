import { ExponentialBackoff, RandomSource } from './backoff';
import { OptionChecker } from '../errors/option-checker';
import { RequestFailure } from './request-failure';
import {
  DEFAULT_RETRYABLE_STATUS_CODES,
  RetryStrategy,
  transientRetryDelay,
} from './retry-strategy';

export interface ExponentialBackoffRetryOptions {
  /** Default 3. */
  maxRetries?: number;
  /** Wait before the first retry, in ms. Default 1000. */
  baseDelay?: number;
  /** Cap on every wait, `Retry-After` included. Default 60_000. */
  maxDelay?: number;
  /** Default 2. */
  multiplier?: number;
  /** Default true. */
  jitter?: boolean;
  /** Default 408, 429, 500, 502, 503, 504. */
  retryableStatusCodes?: readonly number[];
  /** Uniform [0, 1) source for the jitter. Default `Math.random`. */
  random?: RandomSource;
  /** Clock for `Retry-After` dates. Default `Date.now`. */
  now?: () => number;
}

/**
 * Retries network errors, timeouts and the retryable statuses of idempotent requests (GET, HEAD,
 * OPTIONS, PUT, DELETE, or any request with an `Idempotency-Key` header).
 *
 * Delay before retry `n` (1-based):
 *
 *     capped = min(maxDelay, baseDelay × multiplier^(n − 1))
 *     jitter off: capped
 *     jitter on:  capped / 2 + random() × capped / 2, i.e. within [capped / 2, capped)
 *
 * A `Retry-After` header (seconds or HTTP date) replaces that delay, capped by `maxDelay`.
 * With the defaults and jitter off: 1000, 2000, 4000 ms.
 */
export class ExponentialBackoffRetryStrategy extends ExponentialBackoff implements RetryStrategy {
  readonly retryableStatusCodes: readonly number[];
  private readonly now: () => number;

  constructor(options: ExponentialBackoffRetryOptions = {}) {
    const check = new OptionChecker('ExponentialBackoffRetryStrategy');
    super(check, options, { baseDelay: 1000, maxDelay: 60_000 });
    this.retryableStatusCodes = check.statusCodes(
      'retryableStatusCodes',
      options.retryableStatusCodes ?? DEFAULT_RETRYABLE_STATUS_CODES,
    );
    this.now = check.func('now', options.now ?? Date.now);
  }

  retryDelay(failure: RequestFailure, retry: number): number | undefined {
    return transientRetryDelay(this, failure, retry, this.now, () => this.backoffDelay(retry));
  }
}

import { RandomSource, exponentialDelay } from './backoff';
import { OptionChecker } from '../errors/option-checker';
import { RequestFailure } from './request-failure';
import {
  DEFAULT_RETRYABLE_STATUS_CODES,
  RetryStrategy,
  cappedRetryAfter,
  isTransient,
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
export class ExponentialBackoffRetryStrategy implements RetryStrategy {
  readonly maxRetries: number;
  readonly baseDelay: number;
  readonly maxDelay: number;
  readonly multiplier: number;
  readonly jitter: boolean;
  readonly retryableStatusCodes: readonly number[];
  /** The jitter's uniform [0, 1) source. */
  readonly random: RandomSource;
  private readonly now: () => number;

  constructor(options: ExponentialBackoffRetryOptions = {}) {
    const check = new OptionChecker('ExponentialBackoffRetryStrategy');
    this.maxRetries = check.count('maxRetries', options.maxRetries ?? 3);
    this.baseDelay = check.duration('baseDelay', options.baseDelay ?? 1000);
    this.maxDelay = check.duration('maxDelay', options.maxDelay ?? 60_000);
    check.notAbove('baseDelay', this.baseDelay, 'maxDelay', this.maxDelay);
    this.multiplier = check.number('multiplier', options.multiplier ?? 2, { min: 1 });
    this.jitter = check.boolean('jitter', options.jitter ?? true);
    this.retryableStatusCodes = check.statusCodes(
      'retryableStatusCodes',
      options.retryableStatusCodes ?? DEFAULT_RETRYABLE_STATUS_CODES,
    );
    this.random = check.func('random', options.random ?? Math.random);
    this.now = check.func('now', options.now ?? Date.now);
  }

  /** The backoff before retry `retry` (1-based), without any `Retry-After`. */
  backoffDelay(retry: number): number {
    return exponentialDelay(this, retry);
  }

  retryDelay(failure: RequestFailure, retry: number): number | undefined {
    if (retry > this.maxRetries || !isTransient(failure, this.retryableStatusCodes)) {
      return undefined;
    }
    return cappedRetryAfter(failure, this.maxDelay, this.now()) ?? this.backoffDelay(retry);
  }
}

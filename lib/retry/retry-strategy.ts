import { OptionChecker } from '../errors/option-checker';
import { ExponentialBackoff, ExponentialBackoffOptions } from './backoff';
import { RequestFailure } from './request-failure';

/** Decides whether a failed attempt is sent again, and after how long. */
export interface RetryStrategy {
  /** Retries after the first attempt; the call makes at most `maxRetries + 1` attempts. */
  readonly maxRetries: number;
  /** Ms to wait before retry `retry` (1-based) after `failure`, or `undefined` to give up. */
  retryDelay(failure: RequestFailure, retry: number): number | undefined;
}

export const DEFAULT_RETRYABLE_STATUS_CODES: readonly number[] = [408, 429, 500, 502, 503, 504];

/** RFC 9110 §9.2.2: methods a server must treat as idempotent (POST and PATCH are not). */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** An idempotent method, or an `Idempotency-Key` (the server deduplicates); unknown: not safe. */
function isReplayable(failure: RequestFailure): boolean {
  if (failure.requestHeaders['idempotency-key']) return true;
  return failure.method !== undefined && IDEMPOTENT_METHODS.has(failure.method);
}

/** A request strategy's wait: the server's `Retry-After` (capped by `maxDelay`), else `backoff`. */
function transientRetryDelay(
  strategy: { maxRetries: number; maxDelay: number; retryableStatusCodes: readonly number[] },
  failure: RequestFailure,
  retry: number,
  now: () => number,
  backoff: () => number,
): number | undefined {
  if (retry > strategy.maxRetries || !isReplayable(failure)) return undefined;
  const listed =
    failure.status !== undefined && strategy.retryableStatusCodes.includes(failure.status);
  if (!failure.isNetwork && !listed) return undefined;
  const asked = parseRetryAfter(failure.headers['retry-after'], now());
  return asked === undefined ? backoff() : Math.min(asked, strategy.maxDelay);
}

/** Never retries. */
export class NoRetryStrategy implements RetryStrategy {
  readonly maxRetries = 0;

  retryDelay(): undefined {
    return undefined;
  }
}

/** What both request strategies take. */
export interface TransientRetryOptions {
  /** Default 3. */
  maxRetries?: number;
  /** Default 408, 429, 500, 502, 503, 504. */
  retryableStatusCodes?: readonly number[];
  /** Clock for `Retry-After` dates. Default `Date.now`. */
  now?: () => number;
}

export interface SimpleRetryOptions extends TransientRetryOptions {
  /** Fixed wait between attempts in ms. Default 1000. */
  delay?: number;
  /** Cap on a server's `Retry-After`. Default 60_000. */
  maxDelay?: number;
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

/** Defaults: `maxRetries` 3, `baseDelay` 1000 ms, `maxDelay` 60_000 ms (`Retry-After` included). */
export type ExponentialBackoffRetryOptions = TransientRetryOptions & ExponentialBackoffOptions;

/**
 * Retries network errors, timeouts and the retryable statuses of idempotent requests (GET, HEAD,
 * OPTIONS, PUT, DELETE, or any request with an `Idempotency-Key` header). Before retry `n`,
 * `capped = min(maxDelay, baseDelay × multiplier^(n − 1))`, and with jitter a delay in
 * `[capped / 2, capped)`; a `Retry-After` (seconds or HTTP date) replaces it, capped by
 * `maxDelay`. With the defaults and jitter off: 1000, 2000, 4000 ms.
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

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '\\d{2}:\\d{2}:\\d{2}';
/** RFC 9110 §5.6.7: IMF-fixdate, the obsolete RFC 850 form, asctime. */
const HTTP_DATE = new RegExp(
  `^(?:${DAY}, \\d{2} ${MONTH} \\d{4} ${TIME} GMT` +
    `|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, \\d{2}-${MONTH}-\\d{2} ${TIME} GMT` +
    `|${DAY} ${MONTH} [ \\d]\\d ${TIME} \\d{4})$`,
);

/**
 * Milliseconds the server asked us to wait (RFC 9110 §10.2.3: delay-seconds or an HTTP-date), or
 * `undefined` when the header is absent or unreadable. A date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only the three HTTP-date forms: Date.parse alone reads '-5' as a year and 'Mon 2' or
  // 'Retry later 2' as dates long past, which would remove the backoff.
  if (!HTTP_DATE.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

import { AxiosResponse } from 'axios';
import { ExponentialBackoff, ExponentialBackoffOptions } from './backoff';
import { OptionChecker } from '../errors/option-checker';

/**
 * Decides whether a 401 is retried (after the refused credential was invalidated) and after how
 * long. The `authRetry` operator never asks about a 401 whose `WWW-Authenticate` carries
 * `error="insufficient_scope"`: a new token would have the same scopes.
 */
export interface AuthRetryStrategy {
  /** Auth retries after the first attempt. */
  readonly maxRetries: number;
  /** Milliseconds to wait before auth retry `retry` (1-based), or `undefined` to give up. */
  retryDelay(response: AxiosResponse, retry: number): number | undefined;
}

export interface SimpleAuthRetryOptions {
  /** Default 1. */
  maxRetries?: number;
  /** Default 0 ms. */
  delay?: number;
}

/** Retries a 401 up to `maxRetries` times after a fixed `delay`. */
export class SimpleAuthRetryStrategy implements AuthRetryStrategy {
  readonly maxRetries: number;
  readonly delay: number;

  constructor(options: SimpleAuthRetryOptions = {}) {
    const check = new OptionChecker(new.target.name);
    this.maxRetries = check.count('maxRetries', options.maxRetries ?? 1);
    this.delay = check.duration('delay', options.delay ?? 0);
  }

  retryDelay(_response: AxiosResponse, retry: number): number | undefined {
    return retry > this.maxRetries ? undefined : this.delay;
  }
}

/** Defaults: `maxRetries` 3, `baseDelay` 500 ms, `maxDelay` 5000 ms. */
export type ExponentialAuthRetryOptions = ExponentialBackoffOptions;

/**
 * Retries a 401 after the delays of `ExponentialBackoffRetryStrategy` (no `Retry-After`).
 * Defaults without jitter: 500, 1000, 2000 ms.
 */
export class ExponentialAuthRetryStrategy extends ExponentialBackoff implements AuthRetryStrategy {
  constructor(options: ExponentialAuthRetryOptions = {}) {
    super(new OptionChecker('ExponentialAuthRetryStrategy'), options, {
      baseDelay: 500,
      maxDelay: 5000,
    });
  }

  retryDelay(_response: AxiosResponse, retry: number): number | undefined {
    return retry > this.maxRetries ? undefined : this.backoffDelay(retry);
  }
}

export interface ConditionalAuthRetryOptions extends SimpleAuthRetryOptions {
  /** Looks at the 401 (`status`, `headers`, parsed `data`); true to retry. */
  shouldRetry: (response: AxiosResponse) => boolean;
}

/** Retries a 401 only when `shouldRetry` says so (e.g. on `token_expired`, not `invalid_token`). */
export class ConditionalAuthRetryStrategy extends SimpleAuthRetryStrategy {
  private readonly shouldRetry: (response: AxiosResponse) => boolean;

  constructor(options: ConditionalAuthRetryOptions) {
    super(options);
    this.shouldRetry = new OptionChecker(new.target.name).func('shouldRetry', options?.shouldRetry);
  }

  override retryDelay(response: AxiosResponse, retry: number): number | undefined {
    const delay = super.retryDelay(response, retry);
    return delay !== undefined && this.shouldRetry(response) ? delay : undefined;
  }
}

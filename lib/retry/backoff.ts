import { OptionChecker } from '../errors/option-checker';

/** What `exponentialDelay` reads: the options but `maxRetries`, each decided. */
export type BackoffSettings = Required<Omit<ExponentialBackoffOptions, 'maxRetries'>>;

/** The options of both exponential strategies; the defaults of the delays are each strategy's. */
export interface ExponentialBackoffOptions {
  maxRetries?: number;
  /** Wait before the first retry, in ms. */
  baseDelay?: number;
  /** Cap on every wait, in ms. */
  maxDelay?: number;
  /** Default 2. */
  multiplier?: number;
  /** Default true. */
  jitter?: boolean;
  /** Uniform [0, 1) source for the jitter. Default `Math.random`. */
  random?: () => number;
}

/**
 * `capped = min(maxDelay, baseDelay × multiplier^(retry − 1))`; with jitter, in [capped/2, capped):
 * "equal jitter" spreads clients that failed together while keeping half the backoff as a floor.
 */
export function exponentialDelay(settings: BackoffSettings, retry: number): number {
  const growth = settings.baseDelay * Math.pow(settings.multiplier, Math.max(0, retry - 1));
  const capped = Math.min(settings.maxDelay, growth);
  if (!settings.jitter) return capped;
  return capped / 2 + settings.random() * (capped / 2);
}

/** Doubling, equally jittered backoff between `baseDelay` and `maxDelay` (internal waits). */
export function jitteredBackoff(baseDelay: number, maxDelay: number): BackoffSettings {
  return { baseDelay, maxDelay, multiplier: 2, jitter: true, random: Math.random };
}

/** The options and checks both exponential strategies (request and auth retries) share. */
export abstract class ExponentialBackoff implements BackoffSettings {
  readonly maxRetries: number;
  readonly baseDelay: number;
  readonly maxDelay: number;
  readonly multiplier: number;
  readonly jitter: boolean;
  readonly random: () => number;

  protected constructor(
    check: OptionChecker,
    options: ExponentialBackoffOptions,
    defaults: { baseDelay: number; maxDelay: number },
  ) {
    this.maxRetries = check.count('maxRetries', options.maxRetries ?? 3);
    this.baseDelay = check.duration('baseDelay', options.baseDelay ?? defaults.baseDelay);
    this.maxDelay = check.duration('maxDelay', options.maxDelay ?? defaults.maxDelay);
    check.notAbove('baseDelay', this.baseDelay, 'maxDelay', this.maxDelay);
    this.multiplier = check.number('multiplier', options.multiplier ?? 2, { min: 1 });
    this.jitter = check.boolean('jitter', options.jitter ?? true);
    this.random = check.func('random', options.random ?? Math.random);
  }

  /** The backoff before retry `retry` (1-based), without any `Retry-After`. */
  backoffDelay(retry: number): number {
    return exponentialDelay(this, retry);
  }
}

/** A source of uniform numbers in [0, 1); `Math.random` unless a test injects its own. */
export type RandomSource = () => number;

export interface BackoffSettings {
  baseDelay: number;
  maxDelay: number;
  multiplier: number;
  jitter: boolean;
  random: RandomSource;
}

/**
 * The delay before retry number `retry` (1-based):
 *
 *     capped = min(maxDelay, baseDelay × multiplier^(retry − 1))
 *     delay  = capped                                   when jitter is off
 *     delay  = capped / 2 + random() × capped / 2       when jitter is on, so in [capped/2, capped)
 *
 * "Equal jitter": spreads clients that failed together while keeping half the backoff as a floor.
 */
export function exponentialDelay(settings: BackoffSettings, retry: number): number {
  const growth = settings.baseDelay * Math.pow(settings.multiplier, Math.max(0, retry - 1));
  const capped = Math.min(settings.maxDelay, growth);
  if (!settings.jitter) return capped;
  return capped / 2 + settings.random() * (capped / 2);
}

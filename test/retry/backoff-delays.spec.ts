import {
  ExponentialAuthRetryStrategy,
  ExponentialBackoffRetryStrategy,
  HttpStatusException,
  RequestFailure,
  SimpleAuthRetryStrategy,
  SimpleRetryStrategy,
} from '../../lib';
import { classifyFailure } from '../../lib/retry/request-failure';
import { parseRetryAfter } from '../../lib/retry/retry-strategy';

function statusFailure(status: number, headers: Record<string, string> = {}, method = 'GET') {
  const error = new HttpStatusException(`status ${status}`, {
    status,
    method,
    response: { headers, data: {} },
  });
  return classifyFailure(error) as RequestFailure;
}

describe('retry delays', () => {
  it('are exact with jitter off: min(maxDelay, baseDelay × multiplier^(n − 1))', () => {
    const strategy = new ExponentialBackoffRetryStrategy({
      maxRetries: 6,
      baseDelay: 100,
      maxDelay: 1_000,
      multiplier: 3,
      jitter: false,
    });
    const delays = [1, 2, 3, 4].map((n) => strategy.retryDelay(statusFailure(503), n));
    expect(delays).toEqual([100, 300, 900, 1_000]);
    expect(new ExponentialBackoffRetryStrategy({ jitter: false }).backoffDelay(3)).toBe(4_000);
  });

  it('stay within [capped / 2, capped) over 1,000 samples with jitter on', () => {
    const strategy = new ExponentialBackoffRetryStrategy({ baseDelay: 200, maxDelay: 1_000 });
    for (const retry of [1, 2, 3, 4]) {
      const capped = Math.min(1_000, 200 * 2 ** (retry - 1));
      const samples = Array.from({ length: 1_000 }, () => strategy.backoffDelay(retry));
      expect(Math.min(...samples)).toBeGreaterThanOrEqual(capped / 2);
      expect(Math.max(...samples)).toBeLessThan(capped);
      // Spread, not a constant: a broken jitter would fail here.
      expect(Math.max(...samples) - Math.min(...samples)).toBeGreaterThan(capped / 4);
    }
  });

  it('take the jitter from the injected random source', () => {
    const low = new ExponentialBackoffRetryStrategy({ baseDelay: 400, random: () => 0 });
    const high = new ExponentialBackoffRetryStrategy({ baseDelay: 400, random: () => 0.5 });
    expect(low.backoffDelay(2)).toBe(400);
    expect(high.backoffDelay(2)).toBe(600);
  });

  it('follow the same formula for exponential auth retries (defaults 500, 1000, 2000)', () => {
    const exact = new ExponentialAuthRetryStrategy({ jitter: false });
    expect([1, 2, 3].map((n) => exact.backoffDelay(n))).toEqual([500, 1_000, 2_000]);
    const jittered = new ExponentialAuthRetryStrategy({ maxDelay: 800 });
    const samples = Array.from({ length: 1_000 }, () => jittered.backoffDelay(3));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(400);
    expect(Math.max(...samples)).toBeLessThan(800);
  });

  it('are fixed for the simple strategies', () => {
    expect(new SimpleRetryStrategy().retryDelay(statusFailure(500), 3)).toBe(1_000);
    const auth = new SimpleAuthRetryStrategy({ maxRetries: 2, delay: 25 });
    const response = statusFailure(401).response!;
    expect([1, 2, 3].map((n) => auth.retryDelay(response, n))).toEqual([25, 25, undefined]);
  });

  it('stop after maxRetries and for statuses or methods that are not retryable', () => {
    const strategy = new ExponentialBackoffRetryStrategy({ maxRetries: 2, jitter: false });
    expect(strategy.retryDelay(statusFailure(503), 3)).toBeUndefined();
    expect(strategy.retryDelay(statusFailure(501), 1)).toBeUndefined();
    expect(strategy.retryDelay(statusFailure(503, {}, 'PATCH'), 1)).toBeUndefined();
    const custom = new ExponentialBackoffRetryStrategy({ retryableStatusCodes: [501] });
    expect(custom.retryDelay(statusFailure(501), 1)).toBeDefined();
    expect(custom.retryDelay(statusFailure(503), 1)).toBeUndefined();
  });

  it('use Retry-After (seconds or date) instead of the backoff, capped by maxDelay', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const strategy = new ExponentialBackoffRetryStrategy({ maxDelay: 10_000, now: () => now });
    expect(strategy.retryDelay(statusFailure(429, { 'retry-after': '3' }), 1)).toBe(3_000);
    const inFive = new Date(now + 5_000).toUTCString();
    expect(strategy.retryDelay(statusFailure(503, { 'retry-after': inFive }), 1)).toBe(5_000);
    expect(strategy.retryDelay(statusFailure(503, { 'retry-after': '120' }), 1)).toBe(10_000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads delay-seconds and HTTP dates, a past date meaning now', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 7 ', now)).toBe(7_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    // RFC 9110 §5.6.7: the obsolete RFC 850 and asctime forms are read too.
    expect(parseRetryAfter('Thursday, 01-Jan-26 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Thu Jan  1 00:00:30 2026', now)).toBe(30_000);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    // Date.parse reads these as dates long past, which would mean "retry now".
    for (const junk of ['Mon 2', 'Retry later 2', 'garbage, 1', '1, 30', 'Thu, 01 Jan 2026']) {
      expect(parseRetryAfter(junk, now)).toBeUndefined();
    }
  });
});

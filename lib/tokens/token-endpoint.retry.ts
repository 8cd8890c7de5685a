/** Statuses worth another try: the server is busy or briefly down (RFC 9110 §15.5.9, §15.6). */
const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

export function isTransientStatus(status: number): boolean {
  return TRANSIENT_STATUSES.has(status);
}

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Delay before retry number `retry` (1-based): `Retry-After` when the server sent one (seconds
 * or an HTTP date, RFC 9110 §10.2.3), else exponential backoff with full jitter; always capped.
 */
export function retryDelayMs(
  retry: number,
  retryAfter: string | undefined,
  options: BackoffOptions,
  now = Date.now(),
): number {
  const fromHeader = parseRetryAfter(retryAfter, now);
  if (fromHeader !== undefined) return Math.min(fromHeader, options.maxDelayMs);
  const exponential = options.baseDelayMs * 2 ** (retry - 1);
  const capped = Math.min(exponential, options.maxDelayMs);
  return Math.round(capped / 2 + (Math.random() * capped) / 2);
}

export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

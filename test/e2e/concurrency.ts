/** Outcome of starting `count` calls at once. */
export interface ConcurrentOutcome<T> {
  values: T[];
  errors: unknown[];
}

/** Starts `count` calls in the same tick and waits for all of them, successes and failures. */
export async function runConcurrently<T>(
  count: number,
  call: () => Promise<T>,
): Promise<ConcurrentOutcome<T>> {
  const results = await Promise.allSettled(Array.from({ length: count }, () => call()));
  const values: T[] = [];
  const errors: unknown[] = [];
  for (const result of results) {
    if (result.status === 'fulfilled') values.push(result.value);
    else errors.push(result.reason);
  }
  return { values, errors };
}

/** Runs `call` every `intervalMs` for `durationMs` without waiting for the previous one. */
export async function runSteadyTraffic<T>(
  durationMs: number,
  intervalMs: number,
  call: () => Promise<T>,
): Promise<ConcurrentOutcome<T>> {
  const started: Promise<T>[] = [];
  const end = Date.now() + durationMs;
  while (Date.now() < end) {
    started.push(call());
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const results = await Promise.allSettled(started);
  return {
    values: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
    errors: results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : [])),
  };
}

/** The outcome of one timed batch of calls. */
export interface LoadResult {
  ms: number;
  failures: number;
}

/** Makes `total` calls with at most `concurrency` in flight; failures are counted, not thrown. */
export async function runConcurrently(
  total: number,
  concurrency: number,
  call: () => Promise<unknown>,
): Promise<LoadResult> {
  let started = 0;
  let failures = 0;
  const worker = async () => {
    while (started < total) {
      started += 1;
      try {
        await call();
      } catch {
        failures += 1;
      }
    }
  };
  const begin = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return { ms: Number(process.hrtime.bigint() - begin) / 1e6, failures };
}

/** Starts `count` calls at once and waits for all of them. */
export function runAllAtOnce(count: number, call: () => Promise<unknown>): Promise<LoadResult> {
  return runConcurrently(count, count, call);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

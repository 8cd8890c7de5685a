/** What the parent and the cross-process workers agree on (no code that runs on import). */

/** Environment variables a worker reads once: the same for every phase of one run. */
export const WORKER_ENV = {
  origin: 'FORGE_BENCH_ORIGIN',
  tokenUrl: 'FORGE_BENCH_TOKEN_URL',
  redisUrl: 'FORGE_BENCH_REDIS_URL',
} as const;

export interface CrossProcessPhase {
  /** Keyv namespace (and lock prefix) no other phase or run uses: a cold cache. */
  namespace: string;
  withLock: boolean;
  calls: number;
}

export interface CrossProcessResult {
  failures: number;
}

/**
 * Single flight for token fetches across processes on a shared storage (the TokenManager already
 * shares one fetch within a process): one runs `fetch`, the others `poll` for the token it stored.
 */
export interface TokenLock {
  runExclusive<T>(key: string, work: ExclusiveWork<T>): Promise<T>;
}

export interface ExclusiveWork<T> {
  /** Fetches the token and stores it; runs while the lock is held. */
  fetch(): Promise<T>;
  /** Reads a usable token from the shared storage, or undefined while there is none yet. */
  poll(): Promise<T | undefined>;
  /** Upper bound for `fetch` (the token endpoint timeout); the lock lives longer than this. */
  fetchTimeoutMs: number;
}

/**
 * Single flight for token fetches across every holder of the lock (processes, pods).
 *
 * The TokenManager already shares one fetch between the callers of one process; a TokenLock
 * extends that to every process on a shared storage: one of them runs `fetch`, the others wait
 * for `poll` to find the token it stored.
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

/** Raised when a storage or lock call takes longer than its budget; it never leaves lib/storage. */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';

  constructor(what: string, ms: number) {
    super(`${what} took longer than ${ms} ms`);
  }
}

/** Settles like `promise`, or rejects with `expired()` after `ms` (a late rejection is handled). */
export async function withTimeLimit<T>(
  promise: Promise<T>,
  ms: number,
  expired: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(expired()), ms);
  });
  try {
    return await Promise.race([promise, expiry]);
  } finally {
    clearTimeout(timer);
  }
}

/** Settles like `promise`, or rejects with `reason()` once `signal` aborts (a late result is handled). */
export function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  reason: () => Error,
): Promise<T> {
  if (signal.aborted) return Promise.reject(reason());
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(reason());
    signal.addEventListener('abort', abort, { once: true });
    promise
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', abort))
      .catch(() => undefined);
  });
}

/**
 * A storage or Redis call bounded by `ms`. A dead Redis does not fail calls: node-redis queues
 * them until it reconnects, so without a deadline a request would hang for the outage.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return withTimeLimit(promise, ms, () => new DeadlineExceededError(what, ms));
}

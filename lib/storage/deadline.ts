/** Raised when a storage or lock call takes longer than its budget; it never leaves lib/storage. */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';

  constructor(what: string, ms: number) {
    super(`${what} took longer than ${ms} ms`);
  }
}

/**
 * Settles like `promise`, or rejects after `ms`. A dead Redis does not fail calls: node-redis
 * queues them until it reconnects, so without a deadline a request would hang for the outage.
 * The late result is still observed by `Promise.race`, so it never becomes an unhandled rejection.
 */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(what, ms)), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

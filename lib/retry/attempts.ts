/**
 * Attempt counts travel on the errors themselves so that nested operators (auth retries inside
 * request retries) add up without sharing state. The WeakMap holds only what our operators
 * recorded; an `attempts` field set by anyone else is never mistaken for one.
 */
const recorded = new WeakMap<object, number>();

/** An error our retry operators handed on, with the number of requests the call made. */
export type WithAttempts<E> = E & { attempts: number };

/** Requests behind this error: what an inner retry operator recorded, else 1. */
export function attemptsBehind(error: unknown): number {
  return isObject(error) ? (recorded.get(error) ?? 1) : 1;
}

/**
 * Sets `attempts` on the error: the field of a `RequestForgeException`, or an added property on
 * an `AxiosError` or any other extensible error object.
 */
export function recordAttempts<E>(error: E, attempts: number): E {
  if (!isObject(error)) return error;
  recorded.set(error, attempts);
  if (Object.isExtensible(error)) {
    (error as { attempts?: number }).attempts = attempts;
  }
  return error;
}

/** The attempts a retry operator recorded on this error, or `undefined`. */
export function attemptsOf(error: unknown): number | undefined {
  return isObject(error) ? recorded.get(error) : undefined;
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

import { MonoTypeOperatorFunction, Observable } from 'rxjs';

/**
 * Errors with `reason()` once `signal` aborts (at once if it has), unsubscribing the source: an
 * attempt in flight is cancelled and a retry's wait cleared, so shutdown leaves nothing running.
 */
export function stopOnAbort<T>(
  signal: AbortSignal,
  reason: () => Error,
): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      if (signal.aborted) return subscriber.error(reason());
      const abort = () => subscriber.error(reason());
      signal.addEventListener('abort', abort, { once: true });
      const subscription = source.subscribe(subscriber);
      return () => {
        signal.removeEventListener('abort', abort);
        subscription.unsubscribe();
      };
    });
}

import { lastValueFrom, Observable } from 'rxjs';

/**
 * A cold Observable that can also be awaited: `await x` subscribes once and resolves with the
 * last value (each `await` or subscription is a fresh run). For batch calls, where both
 * `lastValueFrom(client.requestMany(...))` and `await client.requestMany(...)` read naturally.
 */
export class AwaitableObservable<T> extends Observable<T> implements PromiseLike<T> {
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return lastValueFrom(this).then(onFulfilled, onRejected);
  }
}

import { lastValueFrom, Observable } from 'rxjs';

/** A cold Observable that can also be awaited (the last value); each `await` is a fresh run. */
export class AwaitableObservable<T> extends Observable<T> implements PromiseLike<T> {
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return lastValueFrom(this).then(onFulfilled, onRejected);
  }
}

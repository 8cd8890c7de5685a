import { ExclusiveWork, TokenLock } from './token-lock.interface';

/** Another lock's keys under a prefix: clients with their own lock prefix share one connection. */
export class PrefixedTokenLock implements TokenLock {
  constructor(
    private readonly inner: TokenLock,
    private readonly keyPrefix: string,
  ) {}

  runExclusive<T>(key: string, work: ExclusiveWork<T>): Promise<T> {
    return this.inner.runExclusive(this.keyPrefix + key, work);
  }
}

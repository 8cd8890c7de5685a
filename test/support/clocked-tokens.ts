import { InMemoryTokenStorage, TokenData, TokenProvider, TokenStorage } from '../../lib';
import { FakeProtectedApi } from '../../lib/testing';

/**
 * Helpers for token tests on a `ManualClock`: instead of waiting for a slow endpoint or for a
 * background refresh to land, a test holds the fetch and waits for the token to be stored.
 */

/** A promise with its `resolve` outside. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((settle) => {
    resolve = () => settle();
  });
  return { promise, resolve };
}

/**
 * A provider whose next fetch (or refresh) waits at the door while `hold()` is in force: the
 * stand-in for a slow token endpoint, without a real-time delay.
 */
export class HeldProvider implements TokenProvider {
  private gate?: { promise: Promise<void>; resolve: () => void };
  private entered = deferred();
  /** Fetches and refreshes started so far, held or not. */
  fetches = 0;

  constructor(private readonly inner: TokenProvider) {}

  get serviceName(): string {
    return this.inner.serviceName;
  }

  get cacheKey(): string | undefined {
    return this.inner.cacheKey;
  }

  get fetchTimeoutMs(): number | undefined {
    return this.inner.fetchTimeoutMs;
  }

  /** Holds every fetch that starts from now on until `release()`. */
  hold(): void {
    this.gate = deferred();
    this.entered = deferred();
  }

  /** Resolves once a fetch has started and is held. */
  get held(): Promise<void> {
    return this.entered.promise;
  }

  /** Lets the held fetches (and every later one) go to the endpoint. */
  release(): void {
    this.gate?.resolve();
    this.gate = undefined;
  }

  async fetchToken(): Promise<TokenData> {
    await this.door();
    return this.inner.fetchToken();
  }

  async refreshToken(current: TokenData): Promise<TokenData> {
    await this.door();
    return this.inner.refreshToken ? this.inner.refreshToken(current) : this.inner.fetchToken();
  }

  private async door(): Promise<void> {
    this.fetches += 1;
    const gate = this.gate;
    if (!gate) return;
    this.entered.resolve();
    await gate.promise;
  }
}

/**
 * An in-memory storage that tells when the manager has stored a token: a background refresh is
 * complete (the manager serves its token) once `stored(n)` resolves.
 */
export class StoreWatcher implements TokenStorage {
  private readonly inner = new InMemoryTokenStorage();
  private waiters: { count: number; resolve: () => void }[] = [];
  /** Tokens stored so far. */
  stores = 0;

  get(key: string): Promise<TokenData | undefined> {
    return this.inner.get(key);
  }

  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }

  async set(key: string, token: TokenData, ttlMs?: number): Promise<void> {
    await this.inner.set(key, token, ttlMs);
    this.stores += 1;
    const due = this.waiters.filter((waiter) => waiter.count <= this.stores);
    this.waiters = this.waiters.filter((waiter) => waiter.count > this.stores);
    for (const waiter of due) waiter.resolve();
  }

  /** Resolves once `count` tokens have been stored in all. */
  stored(count: number): Promise<void> {
    if (this.stores >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }
}

/** Whether `api` answers a request with `accessToken` with 200 (it answers 401 otherwise). */
export async function apiAccepts(api: FakeProtectedApi, accessToken: string): Promise<boolean> {
  const response = await fetch(`${api.url}/probe`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  await response.arrayBuffer();
  return response.status === 200;
}

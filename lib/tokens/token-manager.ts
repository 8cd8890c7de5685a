import { Logger } from '@nestjs/common';
import { AuthenticationException, RequestForgeException } from '../errors';
import { withTimeLimit } from '../storage/deadline';
import { InMemoryTokenStorage } from '../storage/in-memory-token-storage';
import { SafeTokenStorage } from '../storage/safe-token-storage';
import { ExclusiveWork, TokenLock } from '../storage/token-lock.interface';
import { TokenStorage } from '../storage/token-storage.interface';
import { recordTokenCache } from '../observability/metrics';
import { TokenData } from './token-data';
import { FetchFailures, TokenFetchState } from './token-fetch-state';
import { TokenManagerOptions, resolveTokenManagerOptions } from './token-manager.options';
import { TokenProvider } from './token-provider.interface';

export type { TokenManagerOptions } from './token-manager.options';

/** After a failed background refresh, the current token is served this long before the next try. */
const BACKGROUND_RETRY_PAUSE_MS = 5_000;

/**
 * Gives callers a valid token without them thinking about it: cached in the storage, fetched
 * once for any number of concurrent callers, renewed in the background before it expires, and
 * dropped when an API refuses it. The only token cache and the only in-process single flight.
 */
export class TokenManager {
  readonly storageKey: string;
  private readonly logger = new Logger(TokenManager.name);
  private readonly storage: SafeTokenStorage;
  private readonly lock?: TokenLock;
  private readonly refreshSkew: number;
  private readonly defaultTokenLifetime?: number;
  private readonly fetchTimeoutMs: number;
  /** The one fetch of this manager in flight; every caller awaits it. */
  private inFlight?: Promise<TokenData>;
  /** Bumped by `invalidate()`: a fetch that started before is handed to its waiters, not kept. */
  private generation = 0;
  /** Last token this manager saw: refresh basis, and the answer while the storage is down. */
  private lastToken?: TokenData;
  /** Last token an API refused; never served again even if a storage still returns it. */
  private refused?: TokenData;
  /** The handling of the last refusal, shared by every caller reporting that same token. */
  private refusal?: { token: TokenData; done: Promise<void> };
  /** Lifetime of the token this manager fetched last, to keep the skew below half of it. */
  private fetched?: { token: TokenData; lifetimeMs: number };
  /** No background refresh before this epoch ms (set after one failed). */
  private backgroundPausedUntil = 0;
  /** Serializes compare-and-delete against storing a new token (see `invalidate`). */
  private writes: Promise<unknown> = Promise.resolve();
  /** Failed fetches since the last success, for health checks. */
  private readonly failures = new FetchFailures();

  constructor(
    private readonly provider: TokenProvider,
    storage: TokenStorage = new InMemoryTokenStorage(),
    options: TokenManagerOptions = {},
  ) {
    const resolved = resolveTokenManagerOptions(provider, options);
    this.refreshSkew = resolved.refreshSkew;
    this.defaultTokenLifetime = resolved.defaultTokenLifetime;
    this.lock = resolved.lock;
    this.fetchTimeoutMs = resolved.fetchTimeoutMs;
    this.storageKey = resolved.storageKey;
    this.storage = new SafeTokenStorage(storage, this.storageKey);
  }

  get serviceName(): string {
    return this.provider.serviceName;
  }

  /** A token that is not expired; fetched only when no usable one is stored. */
  async getToken(): Promise<TokenData> {
    // The token this manager already holds needs no trip to the storage (a Redis round trip per
    // request otherwise) while it is outside the refresh skew and no API has refused it. A peer's
    // replacement is picked up when this one nears expiry or is refused.
    const held = this.lastToken;
    if (held && !held.sameTokenAs(this.refused) && !held.isExpired(this.skewFor(held))) {
      return recordTokenCache(this.serviceName, 'hit', held);
    }
    const current = await this.readCurrent();
    if (current && !current.isExpired(this.skewFor(current))) {
      return recordTokenCache(this.serviceName, 'hit', current);
    }
    if (current && !current.isExpired()) {
      this.refreshInBackground();
      return recordTokenCache(this.serviceName, 'stale', current);
    }
    const result = this.inFlight ? 'coalesced' : 'miss';
    return recordTokenCache(this.serviceName, result, this.fetchShared());
  }

  /** Its token and failed fetches as this manager holds them now (no storage read, no fetch). */
  get fetchState(): TokenFetchState {
    return this.failures.stateWith(
      this.lastToken?.sameTokenAs(this.refused) ? undefined : this.lastToken,
    );
  }

  /** The unexpired token this manager holds or the storage has, without fetching one. */
  async cachedToken(): Promise<TokenData | undefined> {
    const current = await this.readCurrent();
    return current && !current.isExpired() ? current : undefined;
  }

  /**
   * Forgets `token` (the one an API refused) so that the next `getToken()` fetches a new one.
   * The stored token is deleted only if it is still that token: a token a peer already stored
   * in its place is kept. The provider hears of each refused token once (`onUnauthorized`),
   * however many requests report it. Without an argument, whatever is stored is deleted.
   */
  invalidate(token?: TokenData): Promise<void> {
    if (!token) return this.forget();
    if (this.refusal?.token.sameTokenAs(token)) return this.refusal.done;
    // A late 401 for a token this manager has already replaced changes nothing.
    if (this.lastToken && !this.lastToken.sameTokenAs(token)) return Promise.resolve();
    // Set before any await, so no caller is served the token meanwhile. `lastToken` may stay the
    // refused token: its refresh token can still renew it (a 401 is about the access token).
    this.refused = token;
    const done = this.serialized(async () => {
      const stored = await this.storage.get();
      if (stored.ok && stored.token && !stored.token.sameTokenAs(token)) return;
      await this.provider.onUnauthorized?.(token);
      await this.storage.delete();
    });
    const refusal = { token, done };
    this.refusal = refusal;
    done.catch(() => {
      if (this.refusal === refusal) this.refusal = undefined;
    });
    return done;
  }

  private async forget(): Promise<void> {
    // A fetch already running may bring back what was just declared bad: its waiters get its
    // token, but it is not kept, and the next caller starts a fetch of its own.
    this.generation += 1;
    this.inFlight = undefined;
    this.lastToken = undefined;
    await this.provider.onUnauthorized?.();
    await this.serialized(() => this.storage.delete());
  }

  /** Within the skew: the current token is served while one refresh replaces it. */
  private refreshInBackground(): void {
    if (this.inFlight || Date.now() < this.backgroundPausedUntil) return;
    this.fetchShared().catch((error: unknown) => {
      // Without a pause every call in the skew window would start another failing refresh.
      this.backgroundPausedUntil = Date.now() + BACKGROUND_RETRY_PAUSE_MS;
      this.logger.warn(
        `Background token refresh for "${this.serviceName}" failed (${describe(error)}); ` +
          `serving the current token until it expires`,
      );
    });
  }

  /**
   * The refresh skew for `token`, at most half its lifetime when we know it: a 60 s skew on a
   * 30 s token would otherwise renew it on every call.
   */
  private skewFor(token: TokenData): number {
    if (!this.fetched?.token.sameTokenAs(token)) return this.refreshSkew;
    return Math.min(this.refreshSkew, this.fetched.lifetimeMs / 2);
  }

  private async readCurrent(): Promise<TokenData | undefined> {
    const stored = await this.storage.get();
    const token = stored.ok ? stored.token : this.lastToken;
    if (!token || token.sameTokenAs(this.refused)) return undefined;
    if (stored.ok) this.lastToken = token;
    return token;
  }

  /** The single flight of this process; a lock adds the other processes. */
  private fetchShared(): Promise<TokenData> {
    if (this.inFlight) return this.inFlight;
    const generation = this.generation;
    const work: ExclusiveWork<TokenData> = {
      fetch: () => this.fetchAndStore(generation),
      poll: () => this.pollFresh(),
      fetchTimeoutMs: this.fetchTimeoutMs,
    };
    const fetching = (this.lock ? this.lock.runExclusive(this.storageKey, work) : work.fetch())
      // `invalidate()` may have dropped this fetch and started another: leave that one alone.
      .finally(() => {
        if (this.inFlight === fetching) this.inFlight = undefined;
      });
    this.inFlight = fetching;
    return fetching;
  }

  /** Runs under the lock, if any. */
  private async fetchAndStore(generation: number): Promise<TokenData> {
    // A refusal being handled may be dropping what the provider fetches from (a pipeline step).
    await this.refusal?.done.catch(() => undefined);
    const fetched = await this.boundedFetch(this.lastToken).catch(this.failures.failed);
    this.failures.succeeded();
    const token = this.withDefaultExpiry(fetched);
    if (generation !== this.generation) return token;
    // Some servers hand out the same token until it expires: if they vouch for it, serve it.
    if (token.sameTokenAs(this.refused)) this.refused = undefined;
    this.refusal = undefined;
    this.lastToken = token;
    this.backgroundPausedUntil = 0;
    const ttl = token.expiresInMs();
    if (ttl !== undefined) this.fetched = { token, lifetimeMs: ttl };
    if (ttl === undefined || ttl > 0) {
      await this.serialized(() => this.storage.set(token, ttl));
    }
    return token;
  }

  /**
   * The provider's fetch (its refresh when it has a basis and can), abandoned after the provider's
   * worst case: a fetch that never settles must not hold every caller (DESIGN "Bounded waits").
   * Its late result is dropped; the next `getToken()` starts a new fetch.
   */
  private boundedFetch(basis: TokenData | undefined): Promise<TokenData> {
    const refresh = this.provider.refreshToken?.bind(this.provider);
    const fetching = (async () =>
      basis && refresh ? refresh(basis) : this.provider.fetchToken())();
    return withTimeLimit(
      fetching,
      this.fetchTimeoutMs,
      () =>
        new AuthenticationException(
          `Token fetch for "${this.serviceName}" did not finish within ${this.fetchTimeoutMs} ms`,
          { serviceName: this.serviceName },
        ),
    );
  }

  private async pollFresh(): Promise<TokenData | undefined> {
    const stored = await this.storage.get();
    const token = stored.ok ? stored.token : undefined;
    if (!token || token.sameTokenAs(this.refused) || token.isExpired(this.skewFor(token))) {
      return undefined;
    }
    this.lastToken = token;
    return token;
  }

  private withDefaultExpiry(token: TokenData): TokenData {
    if (token.expiresAt || this.defaultTokenLifetime === undefined) return token;
    return new TokenData({
      ...token.toJSON(),
      expiresAt: new Date(Date.now() + this.defaultTokenLifetime),
    });
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.writes.then(work, work);
    this.writes = next.catch(() => undefined);
    return next;
  }
}

/** Our own errors carry safe messages; a custom provider's error might quote anything. */
function describe(error: unknown): string {
  if (error instanceof RequestForgeException) return error.message;
  return error instanceof Error ? error.name : 'unknown error';
}

import { Logger } from '@nestjs/common';
import { bindDpopSession, dpopSessionOf } from '../auth/dpop-session';
import { untilAborted, withTimeLimit } from '../storage/deadline';
import { InMemoryTokenStorage } from '../storage/in-memory-token-storage';
import { SafeTokenStorage } from '../storage/safe-token-storage';
import { ExclusiveWork, TokenLock } from '../storage/token-lock.interface';
import { TokenStorage } from '../storage/token-storage.interface';
import { recordTokenCache } from '../observability/metrics';
import type { FailureBackoff, TokenManagerState } from './failure-backoff';
import { ProviderCalls } from './provider-calls';
import { TokenData } from './token-data';
import { TokenManagerOptions, resolveTokenManagerOptions } from './token-manager.options';
import { TokenProvider } from './token-provider.interface';
import type { TokenTimes } from './token-times';

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
  private readonly fetchTimeoutMs: number;
  private readonly times: TokenTimes;
  private readonly backoff: FailureBackoff;
  private inFlight?: Promise<TokenData>;
  /** Bumped by `invalidate()`: a fetch that started before is handed to its waiters, not kept. */
  private generation = 0;
  /** Last token this manager saw: refresh basis, and the answer while the storage is down. */
  private lastToken?: TokenData;
  /** Last token an API refused; never served again even if a storage still returns it. */
  private refused?: TokenData;
  /** The handling of the last refusal, shared by every caller reporting that same token. */
  private refusal?: { token: TokenData; done: Promise<void> };
  /** Serializes compare-and-delete against storing a new token (see `invalidate`). */
  private writes: Promise<unknown> = Promise.resolve();
  /** The provider, called within bounds; its `closing` releases waiters at shutdown. */
  private readonly calls: ProviderCalls;

  constructor(
    private readonly provider: TokenProvider,
    storage: TokenStorage = new InMemoryTokenStorage(),
    options: TokenManagerOptions = {},
  ) {
    ({
      times: this.times,
      backoff: this.backoff,
      lock: this.lock,
      fetchTimeoutMs: this.fetchTimeoutMs,
      storageKey: this.storageKey,
    } = resolveTokenManagerOptions(provider, options));
    this.storage = new SafeTokenStorage(storage, this.storageKey);
    this.calls = new ProviderCalls(provider, this.fetchTimeoutMs);
    // Token auth signs API requests with the key the provider's tokens are bound to.
    bindDpopSession(this, dpopSessionOf(provider));
  }

  get serviceName(): string {
    return this.provider.serviceName;
  }

  /** Read-only, synchronous: failing since when, the last error, whether in backoff. */
  get state(): TokenManagerState {
    const held = this.lastToken?.sameTokenAs(this.refused) ? undefined : this.lastToken;
    const valid = !!held && !this.times.expired(held);
    return {
      ...this.backoff.state,
      hasValidToken: valid,
      ...(valid && held.expiresAt ? { expiresAt: held.expiresAt } : {}),
    };
  }

  /** A token that is not expired; fetched only when no usable one is stored. */
  async getToken(): Promise<TokenData> {
    const held = this.heldToken();
    if (held) return held;
    // After shutdown the storage may be closed: reading it would reopen its connection.
    if (this.calls.closed) throw this.calls.shutDown();
    const current = await this.readCurrent();
    if (current && !this.times.due(current)) {
      return recordTokenCache(this.serviceName, 'hit', current);
    }
    // Within the skew, or while the token endpoint is paused after a failure: still valid.
    if (current && !this.times.expired(current)) {
      this.refreshInBackground();
      return recordTokenCache(this.serviceName, 'stale', current);
    }
    const result = this.inFlight ? 'coalesced' : 'miss';
    return recordTokenCache(this.serviceName, result, this.fetchShared());
  }

  /**
   * The held token, synchronously, while outside the refresh skew and not refused: no storage
   * round trip or promise per request; a peer's replacement is picked up near expiry or refusal.
   */
  heldToken(): TokenData | undefined {
    const held = this.lastToken;
    return this.fresh(held) ? recordTokenCache(this.serviceName, 'hit', held) : undefined;
  }

  /** The unexpired token this manager holds or the storage has, without fetching one. */
  async cachedToken(): Promise<TokenData | undefined> {
    const current = await this.readCurrent();
    return current && !this.times.expired(current) ? current : undefined;
  }

  /**
   * Forgets the refused `token`: deleted only if still stored (a peer's replacement is kept); the
   * provider hears of it once (`onUnauthorized`). Without one, whatever is stored is deleted.
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
      // Unread (the storage failed) is not known to be the refused token: a peer's replacement
      // may be there. Only the token read is compared and deleted.
      if (!stored.ok || (stored.token && !stored.token.sameTokenAs(token))) return;
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

  /**
   * Nest's shutdown: every caller waiting for a fetch gets an error at once, and none starts (an
   * OAuth2 provider stops its own request in its hook); a held token is still served.
   */
  onModuleDestroy(): Promise<void> {
    return this.calls.close();
  }

  private refreshInBackground(): void {
    // The failure backoff also paces background refreshes: one failing refresh per pause.
    if (this.inFlight || this.backoff.active) return;
    this.fetchShared().catch(() => {
      if (this.calls.closed) return;
      this.logger.warn(
        `Background token refresh for "${this.serviceName}" failed (${this.backoff.state.lastError}); ` +
          `serving the current token until it expires`,
      );
    });
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
    if (this.calls.closed) return Promise.reject(this.calls.shutDown());
    // Fail closed: during the pause every caller without a valid token gets the last failure.
    if (this.backoff.active) return Promise.reject(this.backoff.rejection());
    const generation = this.generation;
    // DESIGN "Bounded waits": the provider's worst case bounds the wait for a peer's lock and
    // this process's own fetch together; a fetch the lock starts later gets what is left.
    const deadline = Date.now() + this.fetchTimeoutMs;
    const work: ExclusiveWork<TokenData> = {
      fetch: () => this.fetchAndStore(generation, deadline - Date.now()),
      poll: () => this.pollFresh(),
      fetchTimeoutMs: this.fetchTimeoutMs,
    };
    const exclusive = this.lock
      ? withTimeLimit(this.lock.runExclusive(this.storageKey, work), this.fetchTimeoutMs, () =>
          this.calls.tooSlow(),
        )
      : work.fetch();
    const fetching = this.backoff
      .track(untilAborted(exclusive, this.calls.closing.signal, () => this.calls.shutDown()))
      // `invalidate()` may have dropped this fetch and started another: leave that one alone.
      .finally(() => {
        if (this.inFlight === fetching) this.inFlight = undefined;
      });
    this.inFlight = fetching;
    return fetching;
  }

  /** Runs under the lock, if any. */
  private async fetchAndStore(generation: number, budgetMs: number): Promise<TokenData> {
    // A refusal being handled may be dropping what the provider fetches from (a pipeline step).
    await this.refusal?.done.catch(() => undefined);
    const fetched = await this.calls.fetch(this.lastToken, budgetMs);
    const { token, ttl } = this.times.fetchedNow(fetched);
    // After shutdown the storage may be closed: a late token is not written to it.
    if (generation !== this.generation || this.calls.closed) return token;
    // Some servers hand out the same token until it expires: if they vouch for it, serve it.
    if (token.sameTokenAs(this.refused)) this.refused = undefined;
    this.refusal = undefined;
    this.lastToken = token;
    if (ttl === undefined || ttl > 0) {
      await this.serialized(() => this.storage.set(token, ttl));
    }
    return token;
  }

  private async pollFresh(): Promise<TokenData | undefined> {
    const stored = await this.storage.get();
    const token = stored.ok ? stored.token : undefined;
    if (!this.fresh(token)) return undefined;
    this.lastToken = token;
    return token;
  }

  /** Not refused, and outside the refresh skew. */
  private fresh(token: TokenData | undefined): token is TokenData {
    return !!token && !token.sameTokenAs(this.refused) && !this.times.due(token);
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.writes.then(work, work);
    this.writes = next.catch(() => undefined);
    return next;
  }
}

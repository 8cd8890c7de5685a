import { Logger } from '@nestjs/common';
import { ConfigurationException, RequestForgeException } from '../errors';
import { InMemoryTokenStorage } from '../storage/in-memory-token-storage';
import { InProcessTokenLock } from '../storage/in-process-token-lock';
import { TokenLock } from '../storage/token-lock.interface';
import { TokenStorage } from '../storage/token-storage.interface';
import { hashCacheKey } from './cache-key';
import { TokenData } from './token-data';
import { TokenProvider } from './token-provider.interface';
import { SafeTokenStorage } from './safe-token-storage';

/** After a failed background refresh, the current token is served this long before the next try. */
const BACKGROUND_RETRY_PAUSE_MS = 5_000;

/** Shared by every manager of the process, so two managers of one service make one fetch. */
const processWideLock = new InProcessTokenLock();

export interface TokenManagerOptions {
  /** Renew this many ms before expiry; the current token is served meanwhile. Default 60_000. */
  refreshSkew?: number;
  /**
   * Lifetime given to a token the provider returns without `expiresAt`, in ms. Default: none
   * (such a token is kept until invalidated). OAuth2 providers already apply their own default.
   */
  defaultTokenLifetime?: number;
  /** Single flight across processes (e.g. a Redis lock). Default: one lock per process. */
  lock?: TokenLock;
}

/**
 * Gives callers a valid token without them thinking about it: cached in the storage, fetched
 * once for any number of concurrent callers, renewed in the background before it expires, and
 * dropped when an API refuses it.
 */
export class TokenManager {
  readonly storageKey: string;
  private readonly logger = new Logger(TokenManager.name);
  private readonly storage: SafeTokenStorage;
  private readonly lock: TokenLock;
  private readonly refreshSkew: number;
  private readonly defaultTokenLifetime?: number;
  /** The one fetch of this manager in flight; every caller awaits it. */
  private inFlight?: Promise<TokenData>;
  /** Last token this manager saw: refresh basis, and the answer while the storage is down. */
  private lastToken?: TokenData;
  /** Last token an API refused; never served again even if a storage still returns it. */
  private refused?: TokenData;
  /** Lifetime of the token this manager fetched last, to keep the skew below half of it. */
  private fetched?: { token: TokenData; lifetimeMs: number };
  /** No background refresh before this epoch ms (set after one failed). */
  private backgroundPausedUntil = 0;
  /** Serializes compare-and-delete against storing a new token (see `invalidate`). */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly provider: TokenProvider,
    storage: TokenStorage = new InMemoryTokenStorage(),
    options: TokenManagerOptions = {},
  ) {
    if (!provider || typeof provider.fetchToken !== 'function') {
      throw new ConfigurationException('TokenManager: provider must implement fetchToken()', {
        field: 'provider',
      });
    }
    const { refreshSkew = 60_000, defaultTokenLifetime, lock } = options;
    if (typeof refreshSkew !== 'number' || !(refreshSkew >= 0)) {
      throw new ConfigurationException('TokenManager: refreshSkew must be a number >= 0', {
        field: 'refreshSkew',
      });
    }
    if (defaultTokenLifetime !== undefined && !(defaultTokenLifetime > 0)) {
      throw new ConfigurationException('TokenManager: defaultTokenLifetime must be > 0', {
        field: 'defaultTokenLifetime',
      });
    }
    this.refreshSkew = refreshSkew;
    this.defaultTokenLifetime = defaultTokenLifetime;
    this.lock = lock ?? processWideLock;
    this.storageKey = `${provider.serviceName}:${hashCacheKey([provider.cacheKey ?? provider.serviceName])}`;
    this.storage = new SafeTokenStorage(
      storage,
      this.storageKey,
      provider.serviceName,
      this.logger,
    );
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
      return held;
    }
    const current = await this.readCurrent();
    if (current && !current.isExpired(this.skewFor(current))) return current;
    if (current && !current.isExpired()) {
      this.refreshInBackground();
      return current;
    }
    return this.fetchShared();
  }

  /**
   * Forgets `token` (the one an API refused) so that the next `getToken()` fetches a new one.
   * The stored token is deleted only if it is still that token: a token a peer already stored
   * in its place is kept. Without an argument, whatever is stored is deleted.
   */
  async invalidate(token?: TokenData): Promise<void> {
    await this.provider.onUnauthorized?.(token);
    if (!token) {
      this.lastToken = undefined;
      await this.serialized(() => this.storage.delete());
      return;
    }
    // `lastToken` may stay the refused token: it is never served again, but its refresh token
    // can still renew it (a 401 says the access token is bad, not the refresh token).
    this.refused = token;
    await this.serialized(async () => {
      const stored = await this.storage.get();
      if (stored.ok && stored.token && !stored.token.sameTokenAs(token)) return;
      await this.storage.delete();
    });
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

  private fetchShared(): Promise<TokenData> {
    this.inFlight ??= this.lock
      .runExclusive(this.storageKey, {
        fetch: () => this.fetchAndStore(),
        poll: () => this.pollFresh(),
        fetchTimeoutMs: this.provider.fetchTimeoutMs ?? 30_000,
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /** Runs under the lock. */
  private async fetchAndStore(): Promise<TokenData> {
    // A peer may have stored a fresh token while we waited for the lock.
    const fresh = await this.pollFresh();
    if (fresh) return fresh;
    const basis = this.lastToken;
    // The provider decides how to renew (refresh grant, re-run the last pipeline step...).
    const fetched =
      basis && this.provider.refreshToken
        ? await this.provider.refreshToken(basis)
        : await this.provider.fetchToken();
    const token = this.withDefaultExpiry(fetched);
    // Some servers hand out the same token until it expires: if they vouch for it, serve it.
    if (token.sameTokenAs(this.refused)) this.refused = undefined;
    this.lastToken = token;
    this.backgroundPausedUntil = 0;
    const ttl = token.expiresInMs();
    if (ttl !== undefined) this.fetched = { token, lifetimeMs: ttl };
    if (ttl === undefined || ttl > 0) {
      await this.serialized(() => this.storage.set(token, ttl));
    }
    return token;
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

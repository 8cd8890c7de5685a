import { Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { TokenData, TokenDataJson } from '../tokens/token-data';
import { CacheHealth } from './cache-health';
import { withDeadline } from './deadline';
import { InMemoryTokenStorage } from './in-memory-token-storage';
import { TokenStorage } from './token-storage.interface';

export interface CacheManagerTokenStorageOptions {
  /** Prepended to every key as `<keyPrefix>:<key>`. */
  keyPrefix?: string;
  /** A store call slower than this counts as an outage: see the class comment. */
  operationTimeoutMs?: number;
}

type StoreCall<T> = { ok: true; value: T } | { ok: false };

export const DEFAULT_CACHE_KEY_PREFIX = 'api_tokens';
export const DEFAULT_CACHE_OPERATION_TIMEOUT_MS = 500;

/**
 * Tokens in Nest's cache-manager 7 (`CACHE_MANAGER`). With a Redis store every process shares
 * them. The store is a cache, never a dependency: while it fails or is slow (logged once per
 * outage) reads fall back to the token this process last saw, else they are a miss, and writes
 * are skipped. The cache is the caller's: it is never disconnected here.
 */
export class CacheManagerTokenStorage implements TokenStorage {
  private readonly logger = new Logger(CacheManagerTokenStorage.name);
  private readonly keyPrefix: string;
  private readonly timeoutMs: number;
  private readonly health: CacheHealth;
  /**
   * The tokens this process last stored or read, served while the store is down: without them
   * every request during an outage would look like a miss and fetch a new token.
   */
  private readonly lastSeen = new InMemoryTokenStorage();

  constructor(
    private readonly cache: Cache,
    options: CacheManagerTokenStorageOptions = {},
  ) {
    this.keyPrefix = options.keyPrefix ?? DEFAULT_CACHE_KEY_PREFIX;
    this.timeoutMs = options.operationTimeoutMs ?? DEFAULT_CACHE_OPERATION_TIMEOUT_MS;
    this.health = CacheHealth.of(cache);
  }

  async get(key: string): Promise<TokenData | undefined> {
    const read = await this.guard('get', () => this.cache.get<unknown>(this.cacheKey(key)));
    if (!read.ok) return this.lastSeen.get(key);
    const token =
      read.value === undefined || read.value === null ? undefined : this.parse(read.value);
    if (!token || token.isExpired()) {
      await this.lastSeen.delete(key);
      return undefined;
    }
    await this.lastSeen.set(key, token);
    return token;
  }

  async set(key: string, token: TokenData, ttlMs?: number): Promise<void> {
    const ttl = ttlMs ?? token.expiresInMs();
    if (ttl !== undefined && ttl <= 0) return;
    await this.lastSeen.set(key, token, ttl);
    await this.guard('set', () => this.cache.set(this.cacheKey(key), token.toJSON(), ttl));
  }

  async delete(key: string): Promise<void> {
    await this.lastSeen.delete(key);
    await this.guard('del', () => this.cache.del(this.cacheKey(key)));
  }

  private cacheKey(key: string): string {
    return `${this.keyPrefix}:${key}`;
  }

  private async guard<T>(operation: string, call: () => Promise<T>): Promise<StoreCall<T>> {
    const errorsBefore = this.health.errorCount;
    try {
      const value = await withDeadline(call(), this.timeoutMs, `cache ${operation}`);
      // Keyv turns a failed read into `undefined` and reports it only as an 'error' event.
      if (this.health.errorCount !== errorsBefore && value === undefined) return { ok: false };
      if (this.health.errorCount === errorsBefore) this.health.outage.succeeded();
      return { ok: true, value };
    } catch (error) {
      this.health.recordError(error);
      return { ok: false };
    }
  }

  private parse(stored: unknown): TokenData | undefined {
    try {
      return TokenData.fromJSON(stored as TokenDataJson | string);
    } catch {
      // Not ours or from an incompatible version: a miss, so a fresh token replaces it.
      this.logger.debug('ignored an unreadable token cache entry');
      return undefined;
    }
  }
}

import { Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { TokenData, TokenDataJson } from '../tokens/token-data';
import { CacheHealth } from './cache-health';
import { withDeadline } from './deadline';
import { TokenStorage } from './token-storage.interface';

export interface CacheManagerTokenStorageOptions {
  /** Prepended to every key as `<keyPrefix>:<key>`. */
  keyPrefix?: string;
  /** A store call slower than this is a miss (reads) or skipped (writes). */
  operationTimeoutMs?: number;
}

export const DEFAULT_CACHE_KEY_PREFIX = 'api_tokens';
export const DEFAULT_CACHE_OPERATION_TIMEOUT_MS = 500;

/**
 * Tokens in Nest's cache-manager 7 (`CACHE_MANAGER`). With a Redis store every process shares
 * them. The store is a cache, never a dependency: an error or a slow call is a miss, logged once
 * per outage, and the caller fetches a token itself. The cache is the caller's: it is never
 * disconnected here.
 */
export class CacheManagerTokenStorage implements TokenStorage {
  private readonly logger = new Logger(CacheManagerTokenStorage.name);
  private readonly keyPrefix: string;
  private readonly timeoutMs: number;
  private readonly health: CacheHealth;

  constructor(
    private readonly cache: Cache,
    options: CacheManagerTokenStorageOptions = {},
  ) {
    this.keyPrefix = options.keyPrefix ?? DEFAULT_CACHE_KEY_PREFIX;
    this.timeoutMs = options.operationTimeoutMs ?? DEFAULT_CACHE_OPERATION_TIMEOUT_MS;
    this.health = CacheHealth.of(cache);
  }

  async get(key: string): Promise<TokenData | undefined> {
    const stored = await this.guard('get', () => this.cache.get<unknown>(this.cacheKey(key)));
    if (stored === undefined || stored === null) return undefined;
    const token = this.parse(stored);
    return token && !token.isExpired() ? token : undefined;
  }

  async set(key: string, token: TokenData, ttlMs?: number): Promise<void> {
    const ttl = ttlMs ?? token.expiresInMs();
    if (ttl !== undefined && ttl <= 0) return;
    await this.guard('set', () => this.cache.set(this.cacheKey(key), token.toJSON(), ttl));
  }

  async delete(key: string): Promise<void> {
    await this.guard('del', () => this.cache.del(this.cacheKey(key)));
  }

  async exists(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  private cacheKey(key: string): string {
    return `${this.keyPrefix}:${key}`;
  }

  private async guard<T>(operation: string, call: () => Promise<T>): Promise<T | undefined> {
    const errorsBefore = this.health.errorCount;
    try {
      const result = await withDeadline(call(), this.timeoutMs, `cache ${operation}`);
      if (this.health.errorCount === errorsBefore) this.health.outage.succeeded();
      return result;
    } catch (error) {
      this.health.recordError(error);
      return undefined;
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

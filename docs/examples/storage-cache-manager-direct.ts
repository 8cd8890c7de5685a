import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { CacheManagerTokenStorage } from 'nestjs-request-forge';

@Injectable()
export class TokenStorageFactory {
  constructor(@Inject(CACHE_MANAGER) private readonly cache: Cache) {}

  create(): CacheManagerTokenStorage {
    return new CacheManagerTokenStorage(this.cache, { keyPrefix: 'api_tokens' });
  }
}

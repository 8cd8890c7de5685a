import { createKeyv } from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { DynamicModule, Module } from '@nestjs/common';
import { RedisTokenLock, TokenLock } from '../../lib';

/** Inject to get the cross-process lock, or `null` when tokens stay in this process. */
export const SAMPLE_TOKEN_LOCK = 'SAMPLE_TOKEN_LOCK';

export interface TokenStoreOptions {
  /** Share tokens through this Redis; absent: in memory, per process. */
  redisUrl?: string;
  /** Keyv namespace: processes share tokens only within one namespace. */
  namespace?: string;
}

/**
 * Where the sample keeps tokens. With a Redis URL: a global CacheModule on a Redis store (the
 * module's clients pick up CACHE_MANAGER by themselves) plus a RedisTokenLock, so N processes
 * make one token request. Both connections close with the app.
 */
@Module({})
export class TokenStoreModule {
  static forRoot(options: TokenStoreOptions): DynamicModule {
    const { redisUrl } = options;
    const namespace = options.namespace ?? 'forge-sample';
    const lockProvider = {
      provide: SAMPLE_TOKEN_LOCK,
      useFactory: (): TokenLock | null =>
        redisUrl
          ? RedisTokenLock.fromUrl(redisUrl, { keyPrefix: `${namespace}::api_tokens:lock:` })
          : null,
    };
    return {
      module: TokenStoreModule,
      imports: redisUrl
        ? [
            CacheModule.register({
              isGlobal: true,
              stores: [createKeyv(redisUrl, { namespace })],
            }),
          ]
        : [],
      providers: [lockProvider],
      exports: [SAMPLE_TOKEN_LOCK],
    };
  }
}

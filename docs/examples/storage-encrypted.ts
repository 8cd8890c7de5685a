import { createKeyv } from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { createCache } from 'cache-manager';
import {
  CacheManagerTokenStorage,
  EncryptedTokenStorage,
  RequestForgeModule,
  TokenManager,
  TokenProvider,
} from 'nestjs-request-forge';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

// 32-byte keys (base64 or hex) from your secret store, by key id. New tokens are sealed with
// activeKid; every key listed still opens what it sealed, so a rotation never loses a token.
const encryption = {
  keys: {
    '2026-11': process.env.TOKEN_KEY_2026_11 ?? '',
    '2026-12': process.env.TOKEN_KEY_2026_12 ?? '',
  },
  activeKid: '2026-12',
};

@Module({
  imports: [
    CacheModule.register({ isGlobal: true, stores: [createKeyv(redisUrl)] }),
    RequestForgeModule.forRoot({
      clients: {
        orders: {
          baseUrl: 'https://orders.example.com',
          auth: {
            type: 'client-credentials',
            tokenUrl: 'https://auth.example.com/oauth/token',
            clientId: 'orders',
            clientSecret: process.env.ORDERS_SECRET ?? '',
          },
          // Tokens in Redis, encrypted: nothing in the cache can call the API.
          storage: { type: 'cache', encryption },
          lock: { type: 'redis', url: redisUrl },
        },
      },
    }),
  ],
})
export class AppModule {}

// Without the module: wrap any TokenStorage.
export function encryptedTokens(provider: TokenProvider): TokenManager {
  const cache = createCache({ stores: [createKeyv(redisUrl)] });
  const storage = new EncryptedTokenStorage(new CacheManagerTokenStorage(cache), encryption);
  return new TokenManager(provider, storage);
}

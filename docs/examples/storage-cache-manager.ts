import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { createCache } from 'cache-manager';
import {
  CacheManagerTokenStorage,
  RequestForgeModule,
  TokenManager,
  TokenProvider,
} from 'nestjs-request-forge';

// With a CacheModule visible, every client keeps its tokens in CACHE_MANAGER
// (the counterpart of the Python library's Django cache storage).
@Module({
  imports: [
    CacheModule.register({ isGlobal: true }),
    RequestForgeModule.forRoot({
      clients: {
        partners: {
          baseUrl: 'https://partners.example.com',
          auth: {
            type: 'client-credentials',
            tokenUrl: 'https://auth.example.com/oauth/token',
            clientId: 'partners',
            clientSecret: process.env.PARTNERS_SECRET ?? '',
          },
          storage: 'cache', // the default here; 'cache' makes a missing CacheModule an error
        },
      },
    }),
  ],
})
export class AppModule {}

// Without Nest: any cache-manager 7 Cache.
export function cachedTokens(provider: TokenProvider): TokenManager {
  const storage = new CacheManagerTokenStorage(createCache(), { keyPrefix: 'api_tokens' });
  return new TokenManager(provider, storage);
}

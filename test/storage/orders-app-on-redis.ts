import { createKeyv } from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Test, TestingModule } from '@nestjs/testing';
import { ForgeClientOptions, RequestForgeModule } from '../../lib';
import { OidcAndApi } from '../support/oidc-and-api';
import { redisUrl } from '../support/redis';

/**
 * One app instance (a process or pod): the app's CacheModule on the shared Redis under
 * `namespace`, and an `orders` client of `servers.api` with tokens from `servers.oidc`.
 */
export function ordersAppOnRedis(
  servers: OidcAndApi,
  namespace: string,
  options: Partial<ForgeClientOptions> = {},
): Promise<TestingModule> {
  return Test.createTestingModule({
    imports: [
      CacheModule.register({ isGlobal: true, stores: [createKeyv(redisUrl(), { namespace })] }),
      RequestForgeModule.forRoot({
        clients: {
          orders: {
            baseUrl: servers.api.baseUrl,
            auth: servers.oidc.clientCredentialsAuth(),
            ...options,
          },
        },
      }),
    ],
  }).compile();
}

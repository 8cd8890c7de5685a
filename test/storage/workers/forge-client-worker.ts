import { createKeyv } from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Test, TestingModule } from '@nestjs/testing';
import { lastValueFrom } from 'rxjs';
import {
  ForgeClient,
  getForgeClientToken,
  getTokenStorageToken,
  RequestForgeModule,
  TokenStorage,
} from '../../../lib';
import { serveChildTask } from '../../support/child-processes';

export interface ForgeClientWorkerInput {
  redisUrl: string;
  /** Keyv namespace of the shared storage. */
  namespace: string;
  /** Key prefix of the module's Redis lock; absent: no cross-process lock. */
  lockKeyPrefix?: string;
  /** Keys for `storage: { type: 'cache', encryption }`; absent: the plain cache storage. */
  encryption?: { keys: Record<string, string>; activeKid: string };
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  apiBaseUrl: string;
  requests: number;
}

export interface ForgeClientWorkerResult {
  succeeded: number;
  failed: number;
  /** Error names of failed requests (never messages: they could quote a request). */
  errorNames: string[];
}

/**
 * A process of the app: a real RequestForgeModule with a client-credentials client, its tokens in
 * the shared Redis (CacheModule + createKeyv), optionally encrypted and under the module's Redis
 * lock.
 */
serveChildTask(
  async (input: ForgeClientWorkerInput) => {
    const moduleRef: TestingModule = await Test.createTestingModule({
      imports: [
        CacheModule.register({
          isGlobal: true,
          stores: [createKeyv(input.redisUrl, { namespace: input.namespace })],
        }),
        RequestForgeModule.forRoot({
          clients: {
            orders: {
              baseUrl: input.apiBaseUrl,
              auth: {
                type: 'client-credentials',
                tokenUrl: input.tokenUrl,
                clientId: input.clientId,
                clientSecret: input.clientSecret,
                authMethod: 'body',
              },
              ...(input.encryption
                ? { storage: { type: 'cache', encryption: input.encryption } }
                : {}),
              ...(input.lockKeyPrefix
                ? { lock: { type: 'redis', url: input.redisUrl, keyPrefix: input.lockKeyPrefix } }
                : {}),
            },
          },
        }),
      ],
    }).compile();
    // Connect to Redis before the start signal, so the processes race on the token, not on setup.
    await moduleRef.get<TokenStorage>(getTokenStorageToken('orders')).get('warm-up');
    return { input, moduleRef, client: moduleRef.get<ForgeClient>(getForgeClientToken('orders')) };
  },
  async ({ input, client }): Promise<ForgeClientWorkerResult> => {
    const results = await Promise.allSettled(
      Array.from({ length: input.requests }, () => lastValueFrom(client.get('/orders'))),
    );
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    return {
      succeeded: results.length - errors.length,
      failed: errors.length,
      errorNames: errors.map((e) => (e instanceof Error ? e.name : typeof e)),
    };
  },
  async ({ moduleRef }) => {
    await moduleRef.close();
  },
);

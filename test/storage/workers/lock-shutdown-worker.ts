import { Test } from '@nestjs/testing';
import { lastValueFrom } from 'rxjs';
import { ForgeClient, getForgeClientToken, RedisTokenLock, RequestForgeModule } from '../../../lib';

export interface LockShutdownInput {
  redisUrl: string;
  keyPrefix: string;
  apiBaseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** 'plain': the module opens the lock; 'instance': the app passes a lock it owns (and forgets). */
  lock: 'plain' | 'instance';
}

/**
 * One request under a Redis lock, then `moduleRef.close()` and nothing else: the process exits on
 * its own only if closing the module closed every connection.
 */
async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2]) as LockShutdownInput;
  const lock =
    input.lock === 'plain'
      ? { type: 'redis' as const, url: input.redisUrl, keyPrefix: input.keyPrefix }
      : RedisTokenLock.fromUrl(input.redisUrl, { keyPrefix: input.keyPrefix });
  const moduleRef = await Test.createTestingModule({
    imports: [
      RequestForgeModule.forRoot({
        clients: {
          orders: {
            baseUrl: input.apiBaseUrl,
            storage: 'memory',
            lock,
            auth: {
              type: 'client-credentials',
              tokenUrl: input.tokenUrl,
              clientId: input.clientId,
              clientSecret: input.clientSecret,
              authMethod: 'body',
            },
          },
        },
      }),
    ],
  }).compile();
  const response = await lastValueFrom(
    moduleRef.get<ForgeClient>(getForgeClientToken('orders')).get('/orders'),
  );
  await moduleRef.close();
  process.send?.({ status: response.status }, () => process.disconnect());
}

main().catch((error: unknown) => {
  process.send?.({ error: error instanceof Error ? error.name : 'error' });
  process.exitCode = 1;
  process.disconnect?.();
});

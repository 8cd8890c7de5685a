import { TestingModule } from '@nestjs/testing';
import { lastValueFrom } from 'rxjs';
import {
  ForgeClient,
  ForgeClientOptions,
  getForgeClientToken,
  getTokenManagerToken,
  TokenData,
  TokenDataJson,
  TokenManager,
} from '../../lib';
import { describeRedis, uniqueKeyPrefix } from '../support/redis';
import { deleteKeysUnder, keysUnder, withRedisClient } from '../support/redis-keys';
import { useOidcAndApi } from '../support/oidc-and-api';
import { ordersAppOnRedis } from './orders-app-on-redis';

describeRedis('the app’s Redis CacheModule is the default token storage', () => {
  const servers = useOidcAndApi({ tokenTtlSeconds: 300 });
  const modules: TestingModule[] = [];
  const namespaces: string[] = [];

  afterEach(async () => {
    await Promise.all(modules.splice(0).map((moduleRef) => moduleRef.close()));
  });
  afterAll(async () => {
    await Promise.all(namespaces.map((namespace) => deleteKeysUnder(namespace)));
  });

  function freshNamespace(): string {
    const namespace = uniqueKeyPrefix('module-cache-default');
    namespaces.push(namespace);
    return namespace;
  }

  /** One app instance (a process or pod): CacheModule on Redis, no request-forge storage option. */
  async function app(namespace: string, options: Partial<ForgeClientOptions> = {}) {
    const moduleRef = await ordersAppOnRedis(servers, namespace, options);
    modules.push(moduleRef);
    return {
      client: moduleRef.get<ForgeClient>(getForgeClientToken('orders')),
      manager: moduleRef.get<TokenManager>(getTokenManagerToken('orders')),
    };
  }

  const tokenRequests = async () => (await servers.oidc.stats()).tokenRequests;
  const lastApiToken = () => servers.api.requests[servers.api.requests.length - 1]?.token;

  it('stores the token in Redis under <namespace>::api_tokens:<key>; a second instance reuses it without a token request', async () => {
    const namespace = freshNamespace();
    const first = await app(namespace);

    await lastValueFrom(first.client.get('/orders'));
    const tokenOfFirst = lastApiToken();

    const key = `${namespace}::api_tokens:${first.manager.storageKey}`;
    expect(await keysUnder(namespace)).toEqual([key]);
    const stored = await withRedisClient((redis) => redis.get(key));
    const entry = JSON.parse(stored ?? 'null') as { value: TokenDataJson };
    expect(TokenData.fromJSON(entry.value).accessToken).toBe(tokenOfFirst);

    const second = await app(namespace);
    await lastValueFrom(second.client.get('/orders'));

    expect(await tokenRequests()).toBe(1);
    expect(lastApiToken()).toBe(tokenOfFirst);
    expect(servers.api.unauthorizedCount).toBe(0);
  });

  it("storage: 'memory' overrides it: nothing in Redis, and a second instance requests its own token", async () => {
    const namespace = freshNamespace();
    const first = await app(namespace, { storage: 'memory' });
    const second = await app(namespace, { storage: 'memory' });

    await lastValueFrom(first.client.get('/orders'));
    await lastValueFrom(second.client.get('/orders'));

    expect(await keysUnder(namespace)).toEqual([]);
    expect(await tokenRequests()).toBe(2);
    expect(new Set(servers.api.requests.map((r) => r.token)).size).toBe(2);
  });
});

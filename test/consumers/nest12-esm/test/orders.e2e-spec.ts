import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { Test, TestingModule } from '@nestjs/testing';
import { firstValueFrom } from 'rxjs';
import { ForgeClient, getForgeClientToken, HttpStatusException } from 'nestjs-request-forge';
import { FakeProtectedApi, FakeTokenEndpoint, ForgeClientStub } from 'nestjs-request-forge/testing';
import { AppModule } from '../src/app.module.js';
import { OrdersService } from '../src/orders.service.js';

describe('nestjs-request-forge in a Nest 12 ESM app', () => {
  let endpoint: FakeTokenEndpoint;
  let api: FakeProtectedApi;
  const apps: TestingModule[] = [];

  async function startApp(): Promise<TestingModule> {
    const app = await Test.createTestingModule({ imports: [AppModule] }).compile();
    apps.push(app);
    return app.init();
  }

  beforeEach(async () => {
    endpoint = await FakeTokenEndpoint.start({ clients: { 'orders-app': 'orders-secret' } });
    api = await FakeProtectedApi.start(endpoint);
    Object.assign(process.env, {
      ORDERS_API_URL: api.url,
      ORDERS_TOKEN_URL: endpoint.tokenUrl,
      ORDERS_CLIENT_ID: 'orders-app',
      ORDERS_CLIENT_SECRET: 'orders-secret',
      // Engineers and CI share one Redis: a namespace no other run uses.
      CACHE_NAMESPACE: `consumer-nest12:${randomBytes(6).toString('hex')}`,
    });
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await api.close();
    await endpoint.close();
  });

  it('calls the API with a client-credentials token, fetched once and shared through Redis', async () => {
    const first = await startApp();
    await expect(first.get(OrdersService).list()).resolves.toEqual({
      path: '/orders',
      method: 'GET',
    });
    await first.get(OrdersService).list();
    expect(endpoint.tokenRequests).toBe(1);
    expect(endpoint.requests[0]).toMatchObject({
      grantType: 'client_credentials',
      clientId: 'orders-app',
    });

    // A second instance of the app (another pod) finds the token in Redis.
    const second = await startApp();
    await second.get(OrdersService).list();
    expect(endpoint.tokenRequests).toBe(1);
    expect(api.requests).toHaveLength(3);
    expect(api.unauthorized).toBe(0);
  });

  it('recovers from a revoked token with exactly one more token request', async () => {
    const app = await startApp();
    await app.get(OrdersService).list();
    endpoint.revoke();
    await app.get(OrdersService).list();
    expect(endpoint.tokenRequests).toBe(2);
    expect(api.unauthorized).toBe(1);
  });

  it('lets a TestingModule override the client with a ForgeClientStub', async () => {
    const stub = new ForgeClientStub()
      .on('GET', '/orders', { status: 200, data: [{ id: 'stubbed' }] })
      .on('GET', '/orders/broken', { status: 500 });
    const app = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(getForgeClientToken('orders'))
      .useValue(stub)
      .compile();
    apps.push(app);
    await app.init();

    await expect(app.get(OrdersService).list()).resolves.toEqual([{ id: 'stubbed' }]);
    expect(stub.calls).toEqual([{ method: 'GET', url: '/orders', data: undefined, headers: {} }]);
    await expect(firstValueFrom(stub.get('/orders/broken'))).rejects.toBeInstanceOf(
      HttpStatusException,
    );
    expect(endpoint.tokenRequests).toBe(0);
  });

  it('resolves the client with the tokens of the CommonJS build loaded beside the ESM one', async () => {
    const require = createRequire(import.meta.url);
    const cjs = require('nestjs-request-forge') as {
      getForgeClientToken: typeof getForgeClientToken;
    };
    expect(cjs.getForgeClientToken('orders')).toBe(getForgeClientToken('orders'));
    const cjsKit = require('nestjs-request-forge/testing') as { ForgeClientStub: unknown };
    expect(cjsKit.ForgeClientStub).not.toBe(ForgeClientStub);

    const app = await startApp();
    const client = app.get<ForgeClient>(cjs.getForgeClientToken('orders'));
    expect(client).toBeInstanceOf(ForgeClient);
  });
});

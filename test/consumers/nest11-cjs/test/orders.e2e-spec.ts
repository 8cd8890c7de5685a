import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Test, TestingModule } from '@nestjs/testing';
import { of } from 'rxjs';
import { getForgeClientToken } from 'nestjs-request-forge';
import { AppModule } from '../src/app.module';
import { OrdersService } from '../src/orders.service';
import { OAuthServers } from './oauth-servers';

describe('nestjs-request-forge in a Nest 11 CommonJS app', () => {
  let servers: OAuthServers;
  const apps: TestingModule[] = [];

  async function startApp(): Promise<TestingModule> {
    const app = await Test.createTestingModule({ imports: [AppModule] }).compile();
    apps.push(app);
    return app.init();
  }

  beforeEach(async () => {
    servers = await OAuthServers.start('orders-app', 'orders-secret');
    Object.assign(process.env, {
      ORDERS_API_URL: servers.apiUrl,
      ORDERS_TOKEN_URL: servers.tokenUrl,
      ORDERS_CLIENT_ID: 'orders-app',
      ORDERS_CLIENT_SECRET: 'orders-secret',
      // Engineers and CI share one Redis: a namespace no other run uses.
      CACHE_NAMESPACE: `consumer-nest11:${randomBytes(6).toString('hex')}`,
    });
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await servers.close();
  });

  it('calls the API with a client-credentials token, fetched once and shared through Redis', async () => {
    const first = await startApp();
    await expect(first.get(OrdersService).list()).resolves.toEqual([{ id: 'o-1' }, { id: 'o-2' }]);
    await first.get(OrdersService).list();
    expect(servers.tokenRequests).toBe(1);

    // A second instance of the app (another pod) finds the token in Redis.
    const second = await startApp();
    await expect(second.get(OrdersService).list()).resolves.toHaveLength(2);
    expect(servers.tokenRequests).toBe(1);
    expect(servers.apiRequests).toBe(3);
  });

  it('lets a TestingModule override a client by its token', async () => {
    const stub = { get: () => of({ status: 200, data: [{ id: 'stubbed' }] }) };
    const app = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(getForgeClientToken('orders'))
      .useValue(stub)
      .compile();
    apps.push(app);
    await app.init();

    await expect(app.get(OrdersService).list()).resolves.toEqual([{ id: 'stubbed' }]);
    expect(servers.tokenRequests).toBe(0);
  });
});

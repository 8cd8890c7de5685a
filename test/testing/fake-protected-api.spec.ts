import { Injectable } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { lastValueFrom } from 'rxjs';
import {
  ClientCredentialsTokenProvider,
  ForgeClient,
  HttpClientConfigBuilder,
  InjectForgeClient,
  RequestForgeModule,
  TokenManager,
} from '../../lib';
import { FakeProtectedApi, FakeTokenEndpoint, ManualClock } from '../../lib/testing';

const CLIENT = { clientId: 'orders-app', clientSecret: 'orders-s3cret' };

@Injectable()
class OrdersService {
  constructor(@InjectForgeClient('orders') private readonly client: ForgeClient) {}

  async list(): Promise<unknown> {
    return (await lastValueFrom(this.client.get('/orders?page=2'))).data;
  }
}

describe('FakeProtectedApi', () => {
  let endpoint: FakeTokenEndpoint;
  let api: FakeProtectedApi;
  let moduleRef: TestingModule | undefined;

  beforeAll(async () => {
    endpoint = await FakeTokenEndpoint.start({
      clients: { [CLIENT.clientId]: CLIENT.clientSecret },
    });
    api = await FakeProtectedApi.start(endpoint);
  });
  beforeEach(() => {
    endpoint.reset();
    api.requests.length = 0;
  });
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });
  afterAll(async () => {
    await api.close();
    await endpoint.close();
  });

  async function ordersService(): Promise<OrdersService> {
    moduleRef = await Test.createTestingModule({
      imports: [
        RequestForgeModule.forRoot({
          clients: {
            orders: {
              baseUrl: api.url,
              auth: { type: 'client-credentials', tokenUrl: endpoint.tokenUrl, ...CLIENT },
            },
          },
        }),
      ],
      providers: [OrdersService],
    }).compile();
    return moduleRef.get(OrdersService);
  }

  it('answers 200 with { path, method } to a valid token of its endpoint', async () => {
    const orders = await ordersService();
    await expect(orders.list()).resolves.toEqual({ path: '/orders', method: 'GET' });
    expect(api.requests).toEqual([
      {
        method: 'GET',
        path: '/orders',
        accessToken: expect.any(String),
        status: 200,
        receivedAt: expect.any(Number),
      },
    ]);
    expect(endpoint.isValid(api.requests[0].accessToken!)).toBe(true);
    expect(api.unauthorized).toBe(0);
  });

  it('answers 401 with a Bearer challenge without a token, and invalid_token with a bad one', async () => {
    const none = await fetch(`${api.url}/orders`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const bad = await fetch(`${api.url}/orders`, { headers: { authorization: 'Bearer made-up' } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    const basic = await fetch(`${api.url}/orders`, { headers: { authorization: 'Basic eDp5' } });
    expect(basic.status).toBe(401);
    expect(api.unauthorized).toBe(3);
    expect(api.requests.map((r) => r.accessToken)).toEqual([undefined, 'made-up', undefined]);
  });

  it('after revoke(), a module client recovers with exactly one more token request', async () => {
    const orders = await ordersService();
    await orders.list();
    expect(endpoint.tokenRequests).toBe(1);

    endpoint.revoke();
    await expect(orders.list()).resolves.toEqual({ path: '/orders', method: 'GET' });
    expect(endpoint.tokenRequests).toBe(2);
    expect(api.requests.map((r) => r.status)).toEqual([200, 401, 200]);
    expect(api.unauthorized).toBe(1);
  });

  it('after revoke(token), a builder client with TokenManager recovers with one more token request', async () => {
    const manager = new TokenManager(
      new ClientCredentialsTokenProvider({
        ...CLIENT,
        tokenUrl: endpoint.tokenUrl,
        serviceName: 'orders',
        authMethod: 'header',
      }),
    );
    const client = new ForgeClient(
      new HttpClientConfigBuilder().withBaseUrl(api.url).withTokenAuth(manager).build(),
    );
    await lastValueFrom(client.get('/a'));
    endpoint.revoke((await manager.getToken()).accessToken);
    await lastValueFrom(client.post('/b', { n: 1 }));
    expect(endpoint.tokenRequests).toBe(2);
    expect(endpoint.requests.map((r) => r.authMethod)).toEqual([
      'client_secret_basic',
      'client_secret_basic',
    ]);
    expect(api.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /a 200',
      'POST /b 401',
      'POST /b 200',
    ]);
  });

  it('refuses a token once it expired by its endpoint’s clock', async () => {
    const clock = new ManualClock();
    const timed = await FakeTokenEndpoint.start({ clock, expiresIn: 60 });
    const timedApi = await FakeProtectedApi.start(timed);
    try {
      const token = (await (
        await fetch(timed.tokenUrl, {
          method: 'POST',
          body: new URLSearchParams({ grant_type: 'client_credentials' }),
        })
      ).json()) as { access_token: string };
      const call = () =>
        fetch(timedApi.url, { headers: { authorization: `Bearer ${token.access_token}` } });
      clock.advance(59_999);
      expect((await call()).status).toBe(200);
      clock.advance(1);
      expect((await call()).status).toBe(401);
      expect(timedApi.unauthorized).toBe(1);
    } finally {
      await timedApi.close();
      await timed.close();
    }
  });

  it('expects the scheme of its endpoint’s token_type', async () => {
    const dpop = await FakeTokenEndpoint.start({ tokenType: 'DPoP' });
    const dpopApi = await FakeProtectedApi.start(dpop);
    try {
      const token = (await (
        await fetch(dpop.tokenUrl, {
          method: 'POST',
          body: new URLSearchParams({ grant_type: 'client_credentials' }),
        })
      ).json()) as { access_token: string };
      const bearer = await fetch(dpopApi.url, {
        headers: { authorization: `Bearer ${token.access_token}` },
      });
      expect(bearer.status).toBe(401);
      expect(bearer.headers.get('www-authenticate')).toBe('DPoP');
      const ok = await fetch(dpopApi.url, {
        headers: { authorization: `DPoP ${token.access_token}` },
      });
      expect(ok.status).toBe(200);
    } finally {
      await dpopApi.close();
      await dpop.close();
    }
  });
});

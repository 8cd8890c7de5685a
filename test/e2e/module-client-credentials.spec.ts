import { Injectable } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { lastValueFrom } from 'rxjs';
import {
  AuthenticationException,
  ForgeClient,
  ForgeClientOptions,
  InjectForgeClient,
  RequestForgeModule,
} from '../../lib';
import { FakeProtectedApi } from '../../lib/testing';
import { runConcurrently } from './concurrency';
import { useOidcAndApi } from '../support/oidc-and-api';

@Injectable()
class OrdersService {
  constructor(@InjectForgeClient('orders') private readonly client: ForgeClient) {}

  async listOrders(): Promise<unknown> {
    return (await lastValueFrom(this.client.get('/orders'))).data;
  }
}

describe('client credentials through RequestForgeModule', () => {
  const servers = useOidcAndApi({ tokenTtlSeconds: 300 });
  /** An API whose authorization server vouches for no token at all. */
  let refusingApi: FakeProtectedApi;
  let moduleRef: TestingModule | undefined;

  beforeAll(async () => {
    refusingApi = await FakeProtectedApi.start({ isValid: () => false });
  });
  beforeEach(async () => {
    refusingApi.requests.length = 0;
  });
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });
  afterAll(async () => {
    await refusingApi.close();
  });

  async function ordersService(options: Partial<ForgeClientOptions> = {}): Promise<OrdersService> {
    moduleRef = await Test.createTestingModule({
      imports: [
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
      providers: [OrdersService],
    }).compile();
    return moduleRef.get(OrdersService);
  }

  const tokenRequests = async () => (await servers.oidc.stats()).tokenRequests;

  it('1,000 concurrent calls on an empty cache → one token request, 1,000 successes', async () => {
    const orders = await ordersService();

    const { values, errors } = await runConcurrently(1000, () => orders.listOrders());

    expect(errors).toEqual([]);
    expect(values).toHaveLength(1000);
    expect(await tokenRequests()).toBe(1);
    expect(servers.api.requests).toHaveLength(1000);
    expect(servers.api.unauthorizedCount).toBe(0);
    expect(new Set(servers.api.requests.map((r) => r.token)).size).toBe(1);
  });

  it('500 concurrent 401s for one revoked token → one new token request, 500 successes', async () => {
    const orders = await ordersService();
    await orders.listOrders();
    const revoked = servers.api.requests[0].token!;
    expect(await servers.oidc.revoke(revoked)).toBe(true);
    servers.api.revoke(revoked);
    await servers.oidc.reset();
    servers.api.requests.length = 0;

    const { values, errors } = await runConcurrently(500, () => orders.listOrders());

    expect(errors).toEqual([]);
    expect(values).toHaveLength(500);
    expect(await tokenRequests()).toBe(1);
    const refused = servers.api.requests.filter((r) => r.status === 401);
    const accepted = servers.api.requests.filter((r) => r.status === 200);
    expect(refused).toHaveLength(500);
    expect(refused.every((r) => r.token === revoked)).toBe(true);
    expect(accepted).toHaveLength(500);
    const renewed = new Set(accepted.map((r) => r.token));
    expect(renewed.size).toBe(1);
    expect(renewed.has(revoked)).toBe(false);
  });

  it('a 401 that outlasts the default auth retry → AuthenticationException with status and attempts', async () => {
    const orders = await ordersService({ baseUrl: refusingApi.url });

    const error = await orders.listOrders().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthenticationException);
    expect(error).toMatchObject({
      serviceName: 'orders',
      status: 401,
      attempts: 2,
      error: 'invalid_token',
    });
    // One token for the first attempt, a fresh one for the single default retry.
    expect(await tokenRequests()).toBe(2);
    expect(refusingApi.requests).toHaveLength(2);
    expect(refusingApi.requests[0].accessToken).not.toBe(refusingApi.requests[1].accessToken);
  });

  it('authRetry as plain options: exponential, 2 retries with 10 ms and 20 ms pauses', async () => {
    const orders = await ordersService({
      baseUrl: refusingApi.url,
      authRetry: { type: 'exponential', maxRetries: 2, baseDelay: 10, jitter: false },
    });

    const startedAt = Date.now();
    const error = await orders.listOrders().catch((e: unknown) => e);

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(30);
    expect(error).toBeInstanceOf(AuthenticationException);
    expect(error).toMatchObject({ status: 401, attempts: 3 });
    expect(await tokenRequests()).toBe(3);
    const gaps = refusingApi.requests
      .slice(1)
      .map((r, i) => r.receivedAt - refusingApi.requests[i].receivedAt);
    expect(gaps[0]).toBeGreaterThanOrEqual(10);
    expect(gaps[1]).toBeGreaterThanOrEqual(20);
  });
});

import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import {
  ForgeClient,
  getForgeClientToken,
  HttpClientConfigBuilder,
  HttpStatusException,
  InjectForgeClient,
  RequestForgeModule,
  TimeoutException,
} from '../../lib';
import { ForgeClientStub } from '../../lib/testing';
import { json, RecordingServer } from '../support/recording-server';

interface Order {
  id: string;
}

@Injectable()
class OrdersService {
  constructor(@InjectForgeClient('orders') private readonly client: ForgeClient) {}

  async list(): Promise<Order[]> {
    return (await lastValueFrom(this.client.get<Order[]>('/orders'))).data;
  }

  async create(order: Order): Promise<number> {
    const response = await lastValueFrom(
      this.client.post('/orders', order, { headers: { 'X-Tenant': 'acme' } }),
    );
    return response.status;
  }
}

describe('ForgeClientStub', () => {
  it('replaces a module client through overrideProvider and answers from its routes', async () => {
    const stub = new ForgeClientStub().on('GET', '/orders', { status: 200, data: [{ id: 'o-1' }] });
    const moduleRef = await Test.createTestingModule({
      imports: [
        RequestForgeModule.forRoot({
          clients: { orders: { baseUrl: 'https://orders.example.com' } },
        }),
      ],
      providers: [OrdersService],
    })
      .overrideProvider(getForgeClientToken('orders'))
      .useValue(stub)
      .compile();
    try {
      await expect(moduleRef.get(OrdersService).list()).resolves.toEqual([{ id: 'o-1' }]);
      expect(stub.calls).toEqual([{ method: 'GET', url: '/orders', data: undefined, headers: {} }]);
    } finally {
      await moduleRef.close();
    }
  });

  it('is a ForgeClient: a service constructed by hand takes it', async () => {
    const stub = new ForgeClientStub();
    expect(stub).toBeInstanceOf(ForgeClient);
    const service = new OrdersService(stub);
    stub.on('POST', '/orders', { status: 201 });
    await expect(service.create({ id: 'o-9' })).resolves.toBe(201);
    expect(stub.calls).toEqual([
      { method: 'POST', url: '/orders', data: { id: 'o-9' }, headers: { 'x-tenant': 'acme' } },
    ]);
  });

  it('matches by method and path, whatever way the URL is written, and the last route wins', async () => {
    const stub = new ForgeClientStub({ baseUrl: 'https://api.example.com/v1' })
      .on('GET', '/orders', { data: 'first' })
      .on('get', 'orders/', { data: 'second' })
      .on('*', /^\/orders\?page=\d+$/, { data: 'paged' })
      .on('DELETE', '/orders/1', { status: 204 });
    const get = async (url: string) => (await firstValueFrom(stub.get(url))).data;
    expect(await get('/orders')).toBe('second');
    expect(await get('https://api.example.com/v1/orders')).toBe('second');
    expect(await get('/orders?page=3')).toBe('paged');
    expect((await firstValueFrom(stub.delete('/orders/1'))).status).toBe(204);
    expect((await firstValueFrom(stub.put('/orders?page=1', {}))).data).toBe('paged');
  });

  it('answers a status of 400 or more with the HttpStatusException a real client raises', async () => {
    const stub = new ForgeClientStub({ name: 'orders' }).on('GET', '/orders/missing', {
      status: 404,
      data: { message: 'no such order', access_token: 'leaked?' },
      headers: { 'x-request-id': 'r-1' },
    });
    const error = await firstValueFrom(stub.get('/orders/missing')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusException);
    expect(error).toMatchObject({
      status: 404,
      isClientError: true,
      clientName: 'orders',
      method: 'GET',
      url: 'http://forge-client-stub.invalid/orders/missing',
      message: 'GET http://forge-client-stub.invalid/orders/missing failed with status 404',
      response: {
        headers: { 'x-request-id': 'r-1' },
        data: { message: 'no such order', access_token: '***' },
      },
    });
  });

  it('raises the very error a real client raises for the same answer', async () => {
    const server = await RecordingServer.start((_req, res) =>
      json(res, 422, { error: 'invalid', password: 'hunter22' }),
    );
    try {
      const real = new ForgeClient(
        new HttpClientConfigBuilder().withBaseUrl(server.url).build(),
        undefined,
        'orders',
      );
      const stub = new ForgeClientStub({ baseUrl: server.url, name: 'orders' }).on(
        'POST',
        '/orders',
        { status: 422, data: { error: 'invalid', password: 'hunter22' } },
      );
      const [fromReal, fromStub] = await Promise.all(
        [real, stub].map((client) =>
          firstValueFrom(client.post('/orders?x=1', {})).catch((e: unknown) => e),
        ),
      );
      const shape = (e: unknown) => {
        const { message, status, method, url, clientName, response } = e as HttpStatusException;
        return {
          type: (e as object).constructor,
          message,
          status,
          method,
          url,
          clientName,
          data: response.data,
        };
      };
      expect(shape(fromStub)).toEqual(shape(fromReal));
    } finally {
      await server.close();
    }
  });

  it('answers as a real client does: a 304 fails, header names are lower case, data is fresh', async () => {
    const server = await RecordingServer.start((req, res) => {
      res.writeHead(req.url === '/cached' ? 304 : 200, { 'X-Total': '5' });
      res.end(req.url === '/cached' ? undefined : JSON.stringify({ items: [1] }));
    });
    try {
      const real = new ForgeClient(new HttpClientConfigBuilder().withBaseUrl(server.url).build());
      const stub = new ForgeClientStub({ baseUrl: server.url })
        .on('GET', '/cached', { status: 304, headers: { 'X-Total': '5' } })
        .on('GET', '/items', { data: { items: [1] }, headers: { 'X-Total': '5' } });
      for (const client of [real, stub]) {
        const notModified = await firstValueFrom(client.get('/cached')).catch((e: unknown) => e);
        expect(notModified).toBeInstanceOf(HttpStatusException);
        const first = await firstValueFrom(client.get<{ items: number[] }>('/items'));
        expect(first.headers['x-total']).toBe('5');
        first.data.items.push(2); // the code under test changing what it got
        const second = await firstValueFrom(client.get<{ items: number[] }>('/items'));
        expect(second.data).toEqual({ items: [1] });
      }
    } finally {
      await server.close();
    }
  });

  it('answers a string route only under its base URL, and a /g RegExp on every call', async () => {
    const stub = new ForgeClientStub({ baseUrl: 'https://orders.example.com' })
      .on('GET', '/orders', { data: 'list' })
      .on('GET', /^\/orders\/\d+/g, { data: 'one' });
    for (const elsewhere of [
      'https://evil.example.com/orders',
      'http://orders.example.com/orders',
      'https://orders.example.com:8443/orders',
    ]) {
      await expect(firstValueFrom(stub.get(elsewhere))).rejects.toThrow(
        `nothing answers GET ${elsewhere}`,
      );
    }
    expect((await firstValueFrom(stub.get('https://orders.example.com/orders'))).data).toBe('list');
    for (let i = 0; i < 3; i++) {
      expect((await firstValueFrom(stub.get('/orders/7'))).data).toBe('one');
    }
  });

  it('computes an answer with a function, sync or async, and fails the call when it throws', async () => {
    let n = 0;
    const stub = new ForgeClientStub()
      .on('POST', '/echo', (call) => ({ status: 200, data: { got: call.data, n: (n += 1) } }))
      .on('GET', '/later', async () => ({ status: 503 }))
      .on('GET', '/slow', () => {
        throw new TimeoutException('GET /slow timed out', { timeout: 10 });
      });
    expect((await firstValueFrom(stub.post('/echo', { a: 1 }))).data).toEqual({
      got: { a: 1 },
      n: 1,
    });
    await expect(firstValueFrom(stub.get('/later'))).rejects.toMatchObject({
      status: 503,
      isServerError: true,
    });
    await expect(firstValueFrom(stub.get('/slow'))).rejects.toBeInstanceOf(TimeoutException);
  });

  it('errors on a request nothing answers, naming it', async () => {
    const stub = new ForgeClientStub({ name: 'orders' }).on('GET', '/orders', { data: [] });
    await expect(firstValueFrom(stub.patch('/orders/7', {}))).rejects.toThrow(
      'ForgeClientStub "orders": nothing answers PATCH /orders/7 (answers: GET /orders)',
    );
    expect(stub.calls.map((c) => `${c.method} ${c.url}`)).toEqual(['PATCH /orders/7']);
  });

  it('returns cold observables: nothing is recorded before subscribing, each subscription is a call', async () => {
    const stub = new ForgeClientStub().on('GET', '/ping', { data: 'pong' });
    const ping = stub.get('/ping');
    expect(stub.calls).toHaveLength(0);
    await firstValueFrom(ping);
    await firstValueFrom(ping);
    expect(stub.calls).toHaveLength(2);
  });

  it('serves requestMany, head, options and toCurl like a client', async () => {
    const stub = new ForgeClientStub()
      .on('GET', '/a', { data: 'a' })
      .on('HEAD', '/a', { status: 200 })
      .on('OPTIONS', '/a', { status: 204, headers: { allow: 'GET, HEAD' } });
    const [ok, missing] = await stub.requestMany([{ url: '/a' }, { url: '/b' }]);
    expect(ok).toMatchObject({ status: 200, data: 'a' });
    expect(missing).toBeInstanceOf(Error);
    expect((await firstValueFrom(stub.head('/a'))).status).toBe(200);
    expect((await firstValueFrom(stub.options('/a'))).headers).toEqual({ allow: 'GET, HEAD' });
    expect(stub.toCurl({ method: 'GET', url: '/a' })).toContain(
      'http://forge-client-stub.invalid/a',
    );
  });

  it('honours a request’s validateStatus, and reset forgets calls and routes', async () => {
    const stub = new ForgeClientStub().on('GET', '/gone', { status: 410, data: 'gone' });
    const response = await firstValueFrom(stub.get('/gone', { validateStatus: () => true }));
    expect(response.status).toBe(410);
    stub.reset();
    expect(stub.calls).toEqual([]);
    await expect(firstValueFrom(stub.get('/gone'))).rejects.toThrow(/nothing answers GET \/gone/);
  });
});

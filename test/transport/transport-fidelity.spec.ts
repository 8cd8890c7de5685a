import { Test } from '@nestjs/testing';
import { Readable } from 'node:stream';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import {
  ConfigurationException,
  ConnectionException,
  ForgeClient,
  getForgeClientToken,
  HttpStatusException,
  RequestForgeModule,
} from '../../lib';
import { json, RecordingServer } from '../support/recording-server';
import { closeClients, onTransport, TRANSPORTS } from '../support/transports';

/** What axios users rely on, checked on both transports against the same real servers. */
describe.each(TRANSPORTS)('transport fidelity (%s transport)', (transport) => {
  const { builder, forge } = onTransport(transport);
  let server: RecordingServer;
  let other: RecordingServer;
  let client: ForgeClient;

  beforeEach(async () => {
    server = await RecordingServer.start((_req, res, rec) =>
      json(res, 200, { method: rec.method, url: rec.url, body: rec.body, headers: rec.headers }),
    );
    other = await RecordingServer.start();
    client = forge(builder().withBaseUrl(server.url).withApiKey('fidelity-key').build());
  });
  afterEach(async () => {
    await closeClients();
    await server.close();
    await other.close();
  });

  it('serializes params with axios’ serializer, after a query already in the URL', async () => {
    await lastValueFrom(
      client.get('/p?x=1', { params: { a: 'b c', list: [1, 2], skip: undefined } }),
    );
    expect(server.requests[0].url).toBe(
      '/p?x=1&a=b+c&list[]=1&list[]=2'.replace(/\[\]/g, '%5B%5D'),
    );
  });

  it.each([
    ['JSON', { a: 1 }, 'application/json', '{"a":1}'],
    [
      'a form',
      new URLSearchParams({ a: '1', b: 'x y' }),
      'application/x-www-form-urlencoded',
      'a=1&b=x+y',
    ],
    ['a string', 'plain text', 'application/x-www-form-urlencoded', 'plain text'],
    ['a Buffer', Buffer.from('bytes'), undefined, 'bytes'],
  ])('sends %s body with the content type axios gives it', async (_kind, data, type, sent) => {
    await lastValueFrom(client.post('/b', data));
    const received = server.requests[0];
    expect(received.body).toBe(sent);
    if (type) expect(received.headers['content-type']).toContain(type);
  });

  it('sends a stream body', async () => {
    await lastValueFrom(
      client.post('/s', Readable.from([Buffer.from('chunk-1,'), Buffer.from('chunk-2')]), {
        headers: { 'content-type': 'application/octet-stream' },
      }),
    );
    expect(server.requests[0].body).toBe('chunk-1,chunk-2');
  });

  it('reads json, text, arraybuffer and stream responses like axios', async () => {
    server.handle((_req, res) => json(res, 200, { v: 1 }));
    expect((await lastValueFrom(client.get('/j'))).data).toEqual({ v: 1 });
    expect((await lastValueFrom(client.get('/t', { responseType: 'text' }))).data).toBe('{"v":1}');
    const bytes = (await lastValueFrom(client.get('/a', { responseType: 'arraybuffer' }))).data;
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect((bytes as Buffer).toString()).toBe('{"v":1}');
    const stream = (await lastValueFrom(client.get('/st', { responseType: 'stream' }))).data;
    const chunks: Buffer[] = [];
    for await (const chunk of stream as Readable) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('{"v":1}');
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('decodes a %s body, error answers included', async (encoding, compress) => {
    server.handle((req, res) => {
      res.writeHead(req.url === '/fail' ? 503 : 200, {
        'content-type': 'application/json',
        'content-encoding': encoding,
      });
      res.end(compress(Buffer.from(JSON.stringify({ encoding }))));
    });
    const response = await lastValueFrom(client.get('/z'));
    expect(response.data).toEqual({ encoding });
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(server.requests[0].headers['accept-encoding']).toContain(encoding);
    const error = await lastValueFrom(client.get('/fail')).catch((e: unknown) => e);
    expect((error as HttpStatusException).response.data).toEqual({ encoding });
  });

  it('fails a body past maxContentLength as too large, not retried', async () => {
    server.handle((_req, res) => json(res, 200, { big: 'x'.repeat(5_000) }));
    const limited = forge(
      builder()
        .withBaseUrl(server.url)
        .withMaxContentLength(1_000)
        .withRetryStrategy({ type: 'simple', maxRetries: 2, delay: 0 })
        .build(),
    );
    const error = await lastValueFrom(limited.get('/big')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionException);
    expect((error as ConnectionException).code).toBe('ERR_RESPONSE_TOO_LARGE');
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a body past maxBodyLength before sending it', async () => {
    const error = await lastValueFrom(
      client.post('/up', 'x'.repeat(100), { maxBodyLength: 10 }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionException);
    expect((error as ConnectionException).code).toBe('ERR_BAD_REQUEST');
    expect(server.requests).toHaveLength(0);
  });

  it('applies validateStatus as axios’ settle does', async () => {
    server.handle((_req, res) => json(res, 404, { missing: true }));
    const response = await lastValueFrom(client.get('/nf', { validateStatus: () => true }));
    expect(response.status).toBe(404);
    expect(response.statusText).toBe('Not Found');
    const error = await lastValueFrom(client.get('/nf')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusException);
    expect((error as HttpStatusException).status).toBe(404);
  });

  it.each([
    ['302 with maxRedirects 0', '/moved', { maxRedirects: 0 }, 302],
    ['304 with the default validateStatus', '/unchanged', {}, 304],
    ['200 refused by validateStatus', '/ok', { validateStatus: (s: number) => s === 201 }, 200],
  ])(
    'fails a %s as an HttpStatusException with that status, not retried',
    async (_case, path, options, status) => {
      server.handle((_req, res) => {
        res.writeHead(status, status === 302 ? { location: '/elsewhere' } : {});
        res.end();
      });
      const retrying = forge(
        builder()
          .withBaseUrl(server.url)
          .withRetryStrategy({ type: 'simple', maxRetries: 2, delay: 0 })
          .build(),
      );
      const error = await lastValueFrom(retrying.get(path, options)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpStatusException);
      expect((error as HttpStatusException).status).toBe(status);
      expect((error as HttpStatusException).attempts).toBe(1);
      expect(server.requests).toHaveLength(1);
    },
  );

  it.each([
    ['a whole body', (text: string) => Buffer.from(text), {}, true],
    ['an unfinished body', (text: string) => Buffer.from(text), {}, false],
    ['an unfinished gzip body', gzipSync, { 'content-encoding': 'gzip' }, false],
  ] as const)(
    'fails a stream request answered 404 with %s at once, with a placeholder body, closing the unread stream',
    async (_body, encode, headers, whole) => {
      let closed: Promise<void> | undefined;
      server.handle((req, res) => {
        if (req.url === '/after') return json(res, 200, { ok: true });
        closed = new Promise((resolve) => res.on('close', () => resolve()));
        res.writeHead(404, { 'content-type': 'application/json', ...headers });
        // Unfinished: only the client closing its stream ends this exchange.
        if (whole) res.end(encode('{"error":"missing"}'));
        else res.write(encode('{"error":"missing"}'));
      });
      const started = Date.now();
      const error = await lastValueFrom(client.get('/gone', { responseType: 'stream' })).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(HttpStatusException);
      expect((error as HttpStatusException).status).toBe(404);
      expect((error as HttpStatusException).response.data).toBe('<stream>');
      await closed;
      expect(Date.now() - started).toBeLessThan(2_000);
      // Closing the stream must not leave an 'error' event nobody listens to (undici emits one).
      await new Promise((resolve) => setImmediate(resolve));
      await lastValueFrom(client.get('/after'));
    },
    10_000,
  );

  it('closes the unread stream of every retried 503 answer to a stream request', async () => {
    let closes = 0;
    server.handle((_req, res) => {
      res.on('close', () => (closes += 1));
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.write('busy');
    });
    const retrying = forge(
      builder()
        .withBaseUrl(server.url)
        .withRetryStrategy({ type: 'simple', maxRetries: 2, delay: 0 })
        .build(),
    );
    const error = await lastValueFrom(retrying.get('/busy', { responseType: 'stream' })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HttpStatusException);
    expect((error as HttpStatusException).attempts).toBe(3);
    expect(server.requests).toHaveLength(3);
    while (closes < 3) await new Promise((resolve) => setImmediate(resolve));
  }, 10_000);

  it('follows redirects up to maxRedirects; a 303 after a POST becomes a GET', async () => {
    server.handle((req, res, rec) => {
      if (req.url === '/loop') {
        res.writeHead(302, { location: '/loop' });
        return void res.end();
      }
      if (req.url === '/created') {
        res.writeHead(303, { location: '/result' });
        return void res.end();
      }
      json(res, 200, { method: rec.method, body: rec.body });
    });
    const error = await lastValueFrom(client.get('/loop', { maxRedirects: 3 })).catch(
      (e: unknown) => e,
    );
    expect(server.requests).toHaveLength(4);
    expect(error).toBeInstanceOf(ConnectionException);
    const response = await lastValueFrom(client.post('/created', { a: 1 }));
    expect(response.data).toEqual({ method: 'GET', body: '' });
    const direct = await lastValueFrom(
      client.get('/created', { maxRedirects: 0, validateStatus: () => true }),
    );
    expect(direct.status).toBe(303);
  });

  it('strips the API key on a redirect to another origin and keeps it on the base origin', async () => {
    server.handle((req, res) => {
      res.writeHead(302, { location: req.url === '/away' ? `${other.url}/there` : '/away' });
      res.end();
    });
    await lastValueFrom(client.get('/start'));
    expect(server.requests.map((r) => r.headers['x-api-key'])).toEqual([
      'fidelity-key',
      'fidelity-key',
    ]);
    expect(other.requests[0].path).toBe('/there');
    expect(other.requests[0].headers['x-api-key']).toBeUndefined();
  });

  it('reports a refused connection as a ConnectionException with the Node code', async () => {
    const closed = server.url;
    await server.close();
    const error = await lastValueFrom(forge(builder().withBaseUrl(closed).build()).get('/x')).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectionException);
    expect((error as ConnectionException).code).toBe('ECONNREFUSED');
    server = await RecordingServer.start();
  });

  it('aborts a request whose body is being sent when the caller unsubscribes', async () => {
    server.handle(() => {
      /* never answers */
    });
    const subscription = client.post('/slow-upload', { a: 1 }).subscribe();
    await server.waitForRequests(1);
    subscription.unsubscribe();
    await server.waitForAbort(1);
    expect(server.aborted).toHaveLength(1);
  });

  it('closes the client with the module', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        RequestForgeModule.forRoot({ clients: { mod: { baseUrl: server.url, transport } } }),
      ],
    }).compile();
    const moduleClient = moduleRef.get<ForgeClient>(getForgeClientToken('mod'));
    await firstValueFrom(moduleClient.get('/before'));
    await moduleRef.close();
    if (transport === 'undici') {
      await expect(firstValueFrom(moduleClient.get('/after'))).rejects.toThrow(/closed/);
    }
  });
});

describe('undici transport limits', () => {
  const { builder, forge } = onTransport('undici');
  afterEach(closeClients);

  it('refuses a per-request proxy with a ConfigurationException', async () => {
    const client = forge(builder().withBaseUrl('http://127.0.0.1:9').build());
    const error = await lastValueFrom(
      client.get('/x', { proxy: { host: '127.0.0.1', port: 3128 } }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationException);
    expect((error as ConfigurationException).field).toBe('proxy');
  });

  it('validates the transport option', () => {
    expect(() =>
      builder()
        .withBaseUrl('http://127.0.0.1:9')
        .withTransport('fetch' as 'undici')
        .build(),
    ).toThrow("transport must be one of 'axios', 'undici'");
  });
});

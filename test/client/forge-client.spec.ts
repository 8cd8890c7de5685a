import { firstValueFrom, lastValueFrom } from 'rxjs';
import { HttpClientConfigBuilder } from '../../lib';
import { json, RecordingServer } from '../support/recording-server';
import { closeClients, onTransport, TRANSPORTS } from '../support/transports';

describe.each(TRANSPORTS)('ForgeClient (%s transport)', (transport) => {
  const { builder, forge } = onTransport(transport);
  afterEach(closeClients);

  let server: RecordingServer;

  beforeEach(async () => {
    server = await RecordingServer.start((req, res, rec) =>
      json(res, 200, { method: rec.method, path: rec.path }),
    );
  });
  afterEach(() => server.close());

  const client = (configure: (b: HttpClientConfigBuilder) => HttpClientConfigBuilder = (b) => b) =>
    forge(configure(builder().withBaseUrl(server.url)).build());

  it('sends every verb through the one request path', async () => {
    const c = client((b) => b.withBearerToken('verb-token'));
    await lastValueFrom(c.get('/a'));
    await lastValueFrom(c.delete('/b'));
    await lastValueFrom(c.head('/c'));
    await lastValueFrom(c.options('/d'));
    await lastValueFrom(c.post('/e', { x: 1 }));
    await lastValueFrom(c.put('/f', { x: 2 }));
    await lastValueFrom(c.patch('/g', { x: 3 }));
    await lastValueFrom(c.request({ url: '/h', method: 'GET' }));
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /a',
      'DELETE /b',
      'HEAD /c',
      'OPTIONS /d',
      'POST /e',
      'PUT /f',
      'PATCH /g',
      'GET /h',
    ]);
    expect(server.requests.every((r) => r.headers.authorization === 'Bearer verb-token')).toBe(
      true,
    );
    expect(server.requests[4].body).toBe('{"x":1}');
  });

  it('joins relative URLs with and without a leading slash to the base URL path', async () => {
    const c = forge(builder().withBaseUrl(`${server.url}/api/v1/`).build());
    await lastValueFrom(c.get('/users'));
    await lastValueFrom(c.get('users'));
    await lastValueFrom(c.get('users?page=2', { params: { size: 10 } }));
    expect(server.requests.map((r) => r.url)).toEqual([
      '/api/v1/users',
      '/api/v1/users',
      '/api/v1/users?page=2&size=10',
    ]);
  });

  it('lets a per-request header win over default and auth headers, case-insensitively', async () => {
    const c = client((b) => b.withApiKey('default-key').withHeader('X-Tenant', 'default'));
    await lastValueFrom(c.get('/x', { headers: { 'x-tenant': 'mine', 'x-api-key': 'override' } }));
    const headers = server.requests[0].headers;
    expect(headers['x-tenant']).toBe('mine');
    expect(headers['x-api-key']).toBe('override');
  });

  it('is cold: each subscription is one fresh call', async () => {
    const call = client().get('/cold');
    expect(server.requests).toHaveLength(0);
    await firstValueFrom(call);
    await firstValueFrom(call);
    expect(server.requests).toHaveLength(2);
  });

  it('aborts the request when the subscriber unsubscribes: the server sees the socket close', async () => {
    server.handle(() => {
      /* never answers */
    });
    const subscription = client().get('/slow').subscribe();
    await server.waitForRequests(1);
    subscription.unsubscribe();
    await server.waitForAbort(1);
    expect(server.aborted.map((r) => r.path)).toEqual(['/slow']);
  });

  it('sends basic auth as base64(user:password)', async () => {
    await lastValueFrom(client((b) => b.withBasicAuth('alice', 's3cret-pw')).get('/basic'));
    expect(server.requests[0].headers.authorization).toBe(
      `Basic ${Buffer.from('alice:s3cret-pw').toString('base64')}`,
    );
  });

  it('uses the X-API-Key header by default and a custom header when named', async () => {
    await lastValueFrom(client((b) => b.withApiKey('k-default-1')).get('/1'));
    await lastValueFrom(client((b) => b.withApiKey('k-custom-2', 'X-Custom-Key')).get('/2'));
    expect(server.requests[0].headers['x-api-key']).toBe('k-default-1');
    expect(server.requests[1].headers['x-custom-key']).toBe('k-custom-2');
    expect(server.requests[1].headers['x-api-key']).toBeUndefined();
  });
});

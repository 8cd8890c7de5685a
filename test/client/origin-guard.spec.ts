import { lastValueFrom } from 'rxjs';
import { json, RecordingServer } from '../support/recording-server';
import { closeClients, onTransport, TRANSPORTS } from '../support/transports';

describe.each(TRANSPORTS)('credentials go only to the base origin (%s transport)', (transport) => {
  const { builder, forge } = onTransport(transport);
  afterEach(closeClients);

  let base: RecordingServer;
  let other: RecordingServer;

  beforeEach(async () => {
    base = await RecordingServer.start();
    other = await RecordingServer.start();
  });
  afterEach(async () => {
    await base.close();
    await other.close();
  });

  const clients = () => ({
    bearer: forge(builder().withBaseUrl(base.url).withBearerToken('origin-bearer').build()),
    apiKey: forge(
      builder().withBaseUrl(base.url).withApiKey('origin-api-key', 'X-Service-Key').build(),
    ),
    basic: forge(builder().withBaseUrl(base.url).withBasicAuth('u', 'origin-pw').build()),
  });

  it('sends no credential to an absolute URL on another origin', async () => {
    for (const c of Object.values(clients())) {
      await lastValueFrom(c.get(`${other.url}/elsewhere`));
      await lastValueFrom(c.get(`${base.url}/home`));
    }
    expect(other.requests).toHaveLength(3);
    for (const r of other.requests) {
      expect(r.headers.authorization).toBeUndefined();
      expect(r.headers['x-service-key']).toBeUndefined();
    }
    // Control: the same clients do send to their own origin.
    expect(base.requests.map((r) => r.headers.authorization ?? r.headers['x-service-key'])).toEqual(
      [
        'Bearer origin-bearer',
        'origin-api-key',
        `Basic ${Buffer.from('u:origin-pw').toString('base64')}`,
      ],
    );
  });

  it('treats another port on the same host as another origin', async () => {
    expect(new URL(other.url).hostname).toBe(new URL(base.url).hostname);
    await lastValueFrom(clients().bearer.get(`${other.url}/same-host`));
    expect(other.requests[0].headers.authorization).toBeUndefined();
  });

  it('strips every credential header when a redirect leaves the base origin', async () => {
    base.handle((_req, res) => {
      res.writeHead(302, { location: `${other.url}/landing` });
      res.end();
    });
    other.handle((_req, res) => json(res, 200, { landed: true }));
    for (const c of Object.values(clients())) {
      const response = await lastValueFrom(c.get('/go'));
      expect(response.data).toEqual({ landed: true });
    }
    expect(base.requests).toHaveLength(3);
    expect(other.requests).toHaveLength(3);
    for (const r of other.requests) {
      expect(r.path).toBe('/landing');
      expect(r.headers.authorization).toBeUndefined();
      expect(r.headers['x-service-key']).toBeUndefined();
    }
    expect(base.requests[1].headers['x-service-key']).toBe('origin-api-key');
  });

  it('keeps the credential on a redirect within the base origin', async () => {
    base.handle((req, res) => {
      if (req.url === '/old') {
        res.writeHead(301, { location: '/new' });
        res.end();
      } else json(res, 200, { ok: true });
    });
    await lastValueFrom(clients().apiKey.get('/old'));
    expect(base.requests.map((r) => [r.path, r.headers['x-service-key']])).toEqual([
      ['/old', 'origin-api-key'],
      ['/new', 'origin-api-key'],
    ]);
  });

  it("still strips a foreign redirect's credential when the caller brings its own beforeRedirect, and calls it", async () => {
    base.handle((_req, res) => {
      res.writeHead(302, { location: `${other.url}/landing` });
      res.end();
    });
    other.handle((_req, res) => json(res, 200, { landed: true }));
    const hops: string[] = [];
    const { bearer } = clients();
    await lastValueFrom(
      bearer.get('/go', { beforeRedirect: (options) => void hops.push(String(options.href)) }),
    );
    await lastValueFrom(bearer.get('/go')); // a plain request after it keeps the guard too
    expect(hops).toEqual([`${other.url}/landing`]);
    expect(other.requests.map((r) => r.headers.authorization)).toEqual([undefined, undefined]);
    // Control: the credential was sent to the base origin both times.
    expect(base.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer origin-bearer',
      'Bearer origin-bearer',
    ]);
  });
});

import { lastValueFrom } from 'rxjs';
import { ForgeClient } from '../../lib';
import { RecordingServer } from '../support/recording-server';
import { closeClients, onTransport, TRANSPORTS } from '../support/transports';

describe.each(TRANSPORTS)('excluded paths get no credential (%s transport)', (transport) => {
  const { builder, forge } = onTransport(transport);
  afterAll(closeClients);

  let server: RecordingServer;
  let client: ForgeClient;

  beforeAll(async () => {
    server = await RecordingServer.start();
    client = forge(
      builder()
        .withBaseUrl(server.url)
        .withBearerToken('exclusion-token')
        .withExcludedPaths(['/health', '/login/'])
        .withExcludedPathPatterns(['/public/*', '*/status', '/docs/**'])
        .build(),
    );
  });
  afterAll(() => server.close());

  const cases: [string, boolean][] = [
    ['/health', false],
    ['/health?verbose=1', false],
    ['/health/', false],
    ['health', false],
    ['/login', false],
    ['/healthz', true],
    ['/health/deep', true],
    ['/public/logo.png', false],
    ['/public/a/b.png', true],
    ['/api/status', false],
    ['/a/b/status', true],
    ['/docs', false],
    ['/docs/a/b/c', false],
    ['/docsx', true],
    ['/private/../public/x', false],
    ['/public/../private', true],
    ['/public/%2e%2e/private', true],
    ['/x/../health', false],
    ['/%68ealth', false],
    ['/%68EALTH', true],
    ['/publ%69c/logo.png', false],
    ['/public%2Flogo.png', true],
    ['//health', false],
    ['/users', true],
  ];

  it.each(cases)('%s → credential sent: %s', async (path, sent) => {
    const before = server.requests.length;
    await lastValueFrom(client.get(path));
    const received = server.requests[before];
    expect(received.headers.authorization === 'Bearer exclusion-token').toBe(sent);
  });

  it('matches exclusions relative to the base URL path', async () => {
    const withPath = forge(
      builder()
        .withBaseUrl(`${server.url}/api`)
        .withApiKey('base-path-key')
        .withExcludedPaths(['/health'])
        .build(),
    );
    const before = server.requests.length;
    await lastValueFrom(withPath.get('/health'));
    await lastValueFrom(withPath.get('/orders'));
    const [health, orders] = server.requests.slice(before);
    expect(health.path).toBe('/api/health');
    expect(health.headers['x-api-key']).toBeUndefined();
    expect(orders.headers['x-api-key']).toBe('base-path-key');
  });
});

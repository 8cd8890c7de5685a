import { lastValueFrom } from 'rxjs';
import {
  ConnectionException,
  HttpClientConfigBuilder,
  HttpStatusException,
  RequestForgeException,
  TimeoutException,
} from '../../lib';
import { closedPort, json, RecordingServer } from '../support/recording-server';
import { expectNoSecrets, renderings } from '../support/secrets';
import { closeClients, onTransport, TRANSPORTS } from '../support/transports';

const BEARER = 'bearer-secret-0123456789';
const API_KEY = 'api-key-secret-0123456789';
const PASSWORD = 'basic-password-0123456789';
const SECRETS = [BEARER, API_KEY, PASSWORD, Buffer.from(`user:${PASSWORD}`).toString('base64')];

const authVariants: [string, (b: HttpClientConfigBuilder) => HttpClientConfigBuilder][] = [
  ['bearer', (b) => b.withBearerToken(BEARER)],
  ['api key', (b) => b.withApiKey(API_KEY)],
  ['basic', (b) => b.withBasicAuth('user', PASSWORD)],
];

describe.each(TRANSPORTS)('typed errors without secrets (%s transport)', (transport) => {
  const { builder, forge } = onTransport(transport);
  afterEach(closeClients);
  let server: RecordingServer;
  beforeEach(async () => {
    server = await RecordingServer.start();
  });
  afterEach(() => server.close());

  const client = (url: string, auth: (b: HttpClientConfigBuilder) => HttpClientConfigBuilder) =>
    forge(auth(builder().withBaseUrl(url).withTimeout(300)).build());

  it.each(authVariants)('404 → HttpStatusException with status and body (%s)', async (_n, auth) => {
    server.handle((_req, res) => json(res, 404, { error: 'no such user' }));
    const error = await lastValueFrom(
      client(server.url, auth).get('/users/9?api_key=' + API_KEY),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusException);
    expect(error).toBeInstanceOf(RequestForgeException);
    const e = error as HttpStatusException;
    expect(e.status).toBe(404);
    expect(e.isClientError).toBe(true);
    expect(e.isServerError).toBe(false);
    expect(e.response.data).toEqual({ error: 'no such user' });
    expect(e.response.headers['content-type']).toBe('application/json');
    expect(e.message).toContain('404');
    // Control: the server did receive the credential, so its absence below means something.
    const received = JSON.stringify(server.requests[0].headers) + server.requests[0].url;
    expect(SECRETS.some((s) => received.includes(s))).toBe(true);
    expectNoSecrets(renderings(error), SECRETS);
  });

  it('5xx sets isServerError', async () => {
    server.handle((_req, res) => json(res, 503, { error: 'down' }));
    const e = (await lastValueFrom(client(server.url, (b) => b).get('/')).catch(
      (x) => x,
    )) as HttpStatusException;
    expect(e.isServerError).toBe(true);
    expect(e.status).toBe(503);
  });

  it.each(authVariants)('refused connection → ConnectionException (%s)', async (_n, auth) => {
    const port = await closedPort();
    const error = await lastValueFrom(client(`http://127.0.0.1:${port}`, auth).get('/x')).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectionException);
    expect((error as ConnectionException).code).toBe('ECONNREFUSED');
    expectNoSecrets(renderings(error), SECRETS);
  });

  it.each(authVariants)('slow server → TimeoutException (%s)', async (_n, auth) => {
    server.handle(() => {
      /* never answers */
    });
    const error = await lastValueFrom(client(server.url, auth).get('/slow')).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TimeoutException);
    expect((error as TimeoutException).timeout).toBe(300);
    expectNoSecrets(renderings(error), SECRETS);
  });

  it('redacts secrets a server echoes back in the error body and headers', async () => {
    server.handle((req, res) =>
      json(
        res,
        401,
        { echoed: req.headers.authorization, access_token: 'leaked-token-value' },
        {
          'set-cookie': 'session=abcdef123456',
        },
      ),
    );
    const error = await lastValueFrom(client(server.url, authVariants[0][1]).get('/')).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HttpStatusException);
    expectNoSecrets(renderings(error), [...SECRETS, 'leaked-token-value', 'abcdef123456']);
  });
});

import {
  AuthenticationException,
  ClientCredentialsTokenProvider,
  ConfigurationException,
  TokenManager,
} from '../../lib';
import { FakeTokenEndpoint } from '../../lib/testing';
import { TokenEndpointClient } from '../../lib/tokens/token-endpoint.client';
import { BASIC_CLIENT, OidcTestServer, POST_CLIENT } from '../support/oidc-server';
import { useLogCapture } from '../support/log-capture';
import { expectSecretsAbsent } from '../support/secrets';
import { json, RecordedRequest, RecordingServer } from '../support/recording-server';

const SECRET = 'scripted-client-s3cret';

async function failure(work: () => Promise<unknown>): Promise<AuthenticationException> {
  try {
    await work();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthenticationException);
    return error as AuthenticationException;
  }
  throw new Error('expected the token request to fail');
}

describe('token endpoint against oidc-provider (RFC 6749 §4.4)', () => {
  let oidc: OidcTestServer;
  const logs = useLogCapture();

  beforeAll(async () => {
    oidc = await OidcTestServer.start();
  });
  afterAll(() => oidc.close());
  beforeEach(() => oidc.reset());

  it('authenticates with client_secret_basic (authMethod header), form-encoding id and secret', async () => {
    const provider = new ClientCredentialsTokenProvider({
      tokenUrl: oidc.tokenUrl,
      clientId: BASIC_CLIENT.clientId,
      clientSecret: BASIC_CLIENT.clientSecret,
      serviceName: 'basic',
      authMethod: 'header',
      scope: 'api:read api:write',
    });
    const token = await provider.fetchToken();
    expect(token.scope).toBe('api:read api:write');
    const introspection = await oidc.introspect(token.accessToken);
    expect(introspection).toMatchObject({ active: true, client_id: BASIC_CLIENT.clientId });
    expect(token.expiresAt!.getTime()).toBeGreaterThan(Date.now());
  });

  it('authenticates with client_secret_post (authMethod body)', async () => {
    const provider = new ClientCredentialsTokenProvider({
      tokenUrl: oidc.tokenUrl,
      clientId: POST_CLIENT.clientId,
      clientSecret: POST_CLIENT.clientSecret,
      serviceName: 'post',
    });
    const token = await provider.fetchToken();
    expect(await oidc.introspect(token.accessToken)).toMatchObject({
      active: true,
      client_id: POST_CLIENT.clientId,
    });
  });

  it.each(['header', 'body'] as const)(
    'turns a wrong secret (%s) into invalid_client with its status, without retrying',
    async (authMethod) => {
      const wrongSecret = 'wrong-s3cret-value-xyz';
      const client = authMethod === 'header' ? BASIC_CLIENT : POST_CLIENT;
      const provider = new ClientCredentialsTokenProvider({
        tokenUrl: oidc.tokenUrl,
        clientId: client.clientId,
        clientSecret: wrongSecret,
        serviceName: 'wrong',
        authMethod,
      });
      const error = await failure(() => provider.fetchToken());
      expect(error).toMatchObject({ serviceName: 'wrong', error: 'invalid_client', status: 401 });
      expect(error.attempts).toBe(1);
      expect((await oidc.stats()).tokenRequests).toBe(1);
      expectSecretsAbsent(error, [wrongSecret, client.clientSecret], logs);
    },
  );

  it('retries 503, 503 and then succeeds', async () => {
    await oidc.setFaults({ statuses: [503, 503] });
    const provider = new ClientCredentialsTokenProvider({
      tokenUrl: oidc.tokenUrl,
      clientId: POST_CLIENT.clientId,
      clientSecret: POST_CLIENT.clientSecret,
      serviceName: 'flaky',
    });
    const token = await provider.fetchToken();
    expect((await oidc.introspect(token.accessToken)).active).toBe(true);
    expect((await oidc.stats()).tokenRequests).toBe(3);
  });
});

describe('token requests on the wire (recording server)', () => {
  let server: RecordingServer;
  useLogCapture();

  beforeAll(async () => {
    server = await RecordingServer.start((_req, res) =>
      json(res, 200, { access_token: 'wire-token', token_type: 'Bearer', expires_in: 60 }),
    );
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  const formOf = (request: RecordedRequest) =>
    Object.fromEntries(new URLSearchParams(request.body));
  const client = (overrides: Partial<ConstructorParameters<typeof TokenEndpointClient>[0]> = {}) =>
    new TokenEndpointClient({
      tokenUrl: `${server.url}/token`,
      serviceName: 'scripted',
      clientId: 'scripted-client',
      clientSecret: SECRET,
      ...overrides,
    });

  it('sends a form-encoded POST with client_secret_post', async () => {
    await client().requestToken({ grant_type: 'client_credentials', scope: 'a b' });
    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.headers.authorization).toBeUndefined();
    expect(formOf(request)).toEqual({
      grant_type: 'client_credentials',
      scope: 'a b',
      client_id: 'scripted-client',
      client_secret: SECRET,
    });
  });

  it('form-encodes id and secret before base64 for client_secret_basic (§2.3.1)', async () => {
    await client({
      authMethod: 'header',
      clientId: 'id:with space',
      clientSecret: 'a+b/c:d%',
    }).requestToken({ grant_type: 'client_credentials' });
    const [request] = server.requests;
    const basic = Buffer.from(request.headers.authorization!.replace(/^Basic /, ''), 'base64');
    expect(basic.toString()).toBe('id%3Awith+space:a%2Bb%2Fc%3Ad%25');
    expect(formOf(request)).toEqual({ grant_type: 'client_credentials' });
  });

  it('sends scope, audience and extraParams, which cannot override the grant', async () => {
    const provider = new ClientCredentialsTokenProvider({
      tokenUrl: `${server.url}/token`,
      clientId: 'scripted-client',
      clientSecret: SECRET,
      serviceName: 'scripted',
      scope: 'read write',
      audience: 'https://api.example.com',
      extraParams: { resource: 'https://api.example.com/v2' },
    });
    await provider.fetchToken();
    expect(formOf(server.requests[0])).toMatchObject({
      grant_type: 'client_credentials',
      scope: 'read write',
      audience: 'https://api.example.com',
      resource: 'https://api.example.com/v2',
    });
  });
});

describe('token endpoint faults (fake token endpoint)', () => {
  let server: FakeTokenEndpoint;
  const logs = useLogCapture();

  beforeAll(async () => {
    server = await FakeTokenEndpoint.start({ clients: { 'scripted-client': SECRET } });
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  const client = (overrides: Partial<ConstructorParameters<typeof TokenEndpointClient>[0]> = {}) =>
    new TokenEndpointClient({
      tokenUrl: server.tokenUrl,
      serviceName: 'scripted',
      clientId: 'scripted-client',
      clientSecret: SECRET,
      retryBaseDelay: 10,
      ...overrides,
    });

  it.each([
    [
      'malformed JSON',
      { status: 200, body: '{"access_token": "leaky-token-value-123' },
      /not valid JSON/,
    ],
    [
      'a response without access_token',
      {
        status: 200,
        body: { token_type: 'Bearer', expires_in: 60, refresh_token: 'leaky-token-value-123' },
      },
      /access_token is missing/,
    ],
    [
      'an HTML error page',
      {
        status: 200,
        headers: { 'content-type': 'text/html' },
        body: '<!doctype html><p>Login</p>',
      },
      /HTML page/,
    ],
    [
      'an HTML 404 page',
      { status: 404, headers: { 'content-type': 'text/html' }, body: '<html>Not found</html>' },
      /answered 404 with an HTML page/,
    ],
  ])('rejects %s with a clear AuthenticationException', async (_case, response, message) => {
    server.failNext(1, response);
    const error = await failure(() => client().requestToken({ grant_type: 'client_credentials' }));
    expect(error.message).toMatch(message);
    expect(error.serviceName).toBe('scripted');
    expect(server.tokenRequests).toBe(1);
    expectSecretsAbsent(error, [SECRET, 'leaky-token-value-123'], logs);
  });

  it.each(['invalid_grant', 'unauthorized_client', 'invalid_scope'])(
    'does not retry %s (§5.2)',
    async (code) => {
      server.failNext(1, {
        status: 400,
        body: { error: code, error_description: `refused; you sent ${SECRET}` },
      });
      const error = await failure(() =>
        client().requestToken({ grant_type: 'password', password: 'pw-123456' }),
      );
      expect(error).toMatchObject({ error: code, status: 400, attempts: 1 });
      expect(error.errorDescription).toBe('refused; you sent ***');
      expect(server.tokenRequests).toBe(1);
      expectSecretsAbsent(error, [SECRET, 'pw-123456'], logs);
    },
  );

  it("keeps the server's error text on one line and bounded, in the error and the retry warning", async () => {
    const forged = 'down\n[Nest] 1  - LOG [Auth] admin\u2028logged\u202E in\r\nmore';
    server.failNext(1, {
      status: 503,
      headers: { 'retry-after': '0' },
      body: { error: 'temporarily_unavailable', error_description: forged },
    });
    server.failNext(1, { status: 400, body: { error: `invalid_${'x'.repeat(60_000)}` } });
    const error = await failure(() =>
      client({ maxAttempts: 2 }).requestToken({ grant_type: 'client_credentials' }),
    );
    expect(error.error).toBe(`invalid_${'x'.repeat(56)}`);
    expect(error.message.length).toBeLessThan(300);
    const warning = logs.lines.find((line) => line.message.includes('retrying'));
    expect(warning?.message).toContain(
      'temporarily_unavailable (down [Nest] 1  - LOG [Auth] admin logged  in more)',
    );
    for (const line of logs.lines) expect(line.message).not.toMatch(/[\r\n\u2028\u202E]/);
  });

  it('stops its request and retries once the manager no longer waits (a late turn of a lock)', async () => {
    const silent = await RecordingServer.start(() => undefined);
    try {
      const provider = new ClientCredentialsTokenProvider({
        tokenUrl: `${silent.url}/token`,
        clientId: 'scripted-client',
        clientSecret: SECRET,
        serviceName: 'late',
        timeout: 5_000,
      });
      // The worst case the manager allows, and a peer's lock that lets this process in late.
      const bounded = {
        serviceName: 'late',
        fetchTimeoutMs: 600,
        fetchToken: provider.fetchToken.bind(provider),
      };
      const lateTurn = {
        runExclusive: async <T>(_key: string, work: { fetch(): Promise<T> }) => {
          await new Promise((resolve) => setTimeout(resolve, 450));
          return work.fetch();
        },
      };
      const manager = new TokenManager(bounded, undefined, { lock: lateTurn });
      await expect(manager.getToken()).rejects.toThrow(/did not finish within 600 ms/);
      // The one request sent with what was left is cancelled, and none follows it.
      await silent.waitForAbort(1, 1_000);
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(silent.requests).toHaveLength(1);
    } finally {
      await silent.close();
    }
  });

  it('honours Retry-After on 429, capped by maxRetryDelay', async () => {
    server.failNext(1, { status: 429, headers: { 'retry-after': '100' }, body: '' });
    const started = Date.now();
    const token = await client({ maxRetryDelay: 300 }).requestToken({
      grant_type: 'client_credentials',
    });
    const elapsed = Date.now() - started;
    expect(server.isValid(token.accessToken)).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('gives up after 3 attempts of 5xx with the last status', async () => {
    server.failNext(1, { status: 500, body: '' });
    server.failNext(1, { status: 502, body: '' });
    server.failNext(1, { status: 503, error: 'temporarily_unavailable' });
    const error = await failure(() => client().requestToken({ grant_type: 'client_credentials' }));
    expect(error).toMatchObject({ status: 503, error: 'temporarily_unavailable', attempts: 3 });
    expect(server.tokenRequests).toBe(3);
    expectSecretsAbsent(error, [SECRET], logs);
  });

  it('times out a silent endpoint and retries', async () => {
    server.failNext(2, { status: 200, delayMs: 1_000, body: {} });
    const error = await failure(() =>
      client({ timeout: 150, maxAttempts: 2 }).requestToken({ grant_type: 'client_credentials' }),
    );
    expect(error.message).toMatch(/no answer within 150 ms/);
    expect(error.attempts).toBe(2);
    expectSecretsAbsent(error, [SECRET], logs);
  });

  it('retries network errors and reports them without secrets', async () => {
    const closed = await FakeTokenEndpoint.start();
    const url = closed.tokenUrl;
    await closed.close();
    const error = await failure(() =>
      client({ tokenUrl: url, maxAttempts: 2 }).requestToken({ grant_type: 'client_credentials' }),
    );
    expect(error.message).toMatch(/could not reach the token endpoint \(ECONNREFUSED\)/);
    expect(error.attempts).toBe(2);
    expect(error.cause).toMatchObject({ code: 'ECONNREFUSED' });
    expectSecretsAbsent(error, [SECRET], logs);
  });

  it('does not follow redirects with the client secret', async () => {
    server.failNext(1, {
      status: 307,
      headers: { location: 'http://127.0.0.1:1/elsewhere' },
      body: '',
    });
    const error = await failure(() => client().requestToken({ grant_type: 'client_credentials' }));
    expect(error.status).toBe(307);
    expect(server.tokenRequests).toBe(1);
  });

  it('requires https unless the host is loopback or allowInsecureRequests is set', () => {
    const make = (tokenUrl: string, allowInsecureRequests?: boolean) =>
      new ClientCredentialsTokenProvider({
        tokenUrl,
        serviceName: 's',
        clientId: 'c',
        clientSecret: 'secret',
        allowInsecureRequests,
      });
    expect(() => make('http://auth.example.com/token')).toThrow(ConfigurationException);
    expect(() => make('http://auth.example.com/token')).toThrow(/tokenUrl must use https/);
    expect(() => make('http://auth.example.com/token', true)).not.toThrow();
    expect(() => make('https://auth.example.com/token')).not.toThrow();
    for (const loopback of [
      'http://127.0.0.1/t',
      'http://127.8.9.10/t',
      'http://[::1]/t',
      'http://localhost/t',
    ]) {
      expect(() => make(loopback)).not.toThrow();
    }
    expect(() => make('http://128.0.0.1/t')).toThrow(/https/);
    expect(() => make('ftp://x/t')).toThrow(/tokenUrl must use http or https/);
  });
});

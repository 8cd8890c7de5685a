import { AuthenticationException, ClientCredentialsTokenProvider } from '../../lib';
import { FakeTokenEndpoint } from '../../lib/testing';
import { TokenEndpointClient } from '../../lib/tokens/token-endpoint.client';
import { BodyFaults } from '../support/body-faults';
import { useLogCapture } from '../support/log-capture';
import { ScriptedServer } from '../support/scripted-server';
import { expectSecretsAbsent } from '../support/secrets';

const SECRET = 'retry-client-s3cret';

describe('token endpoint retries', () => {
  let server: FakeTokenEndpoint;
  const logs = useLogCapture();

  beforeAll(async () => {
    server = await FakeTokenEndpoint.start({ clients: { 'retry-client': SECRET } });
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  const client = (overrides: Partial<ConstructorParameters<typeof TokenEndpointClient>[0]> = {}) =>
    new TokenEndpointClient({
      tokenUrl: server.tokenUrl,
      serviceName: 'retrying',
      clientId: 'retry-client',
      clientSecret: SECRET,
      retryBaseDelay: 10,
      ...overrides,
    });
  const grant = { grant_type: 'client_credentials' };

  it('answers one token after a 503 and then a 200, and logs the retry', async () => {
    server.failNext(1, { status: 503, body: '' });
    const token = await client().requestToken(grant);
    expect(server.isValid(token.accessToken)).toBe(true);
    expect(server.requests.map((r) => r.status)).toEqual([503, 200]);
    expect(logs.text).toMatch(
      /Token request for "retrying" failed: answered 503 with an empty body \(status 503\); retrying in \d+ ms \(attempt 2\/3\)/,
    );
    expectSecretsAbsent(token, [SECRET], logs);
  });

  it('sends invalid_client once, with attempts 1', async () => {
    const error = await client({ clientSecret: 'wrong' })
      .requestToken(grant)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationException);
    expect(error).toMatchObject({ error: 'invalid_client', status: 401, attempts: 1 });
    expect(server.tokenRequests).toBe(1);
  });

  it('waits as long as Retry-After asks (seconds), rather than its own short backoff', async () => {
    server.failNext(1, { status: 429, headers: { 'retry-after': '1' }, body: '' });
    const started = Date.now();
    await client().requestToken(grant);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.tokenRequests).toBe(2);
  });

  it('reads Retry-After as an HTTP date too', async () => {
    const at = new Date(Date.now() + 2_000).toUTCString();
    server.failNext(1, { status: 503, headers: { 'retry-after': at }, body: '' });
    const started = Date.now();
    await client().requestToken(grant);
    // An HTTP date has whole seconds: at least one of the two seconds is left to wait.
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('retries an attempt that ran out of time', async () => {
    server.failNext(1, { status: 200, delayMs: 600, body: {} });
    const token = await client({ timeout: 200 }).requestToken(grant);
    expect(server.isValid(token.accessToken)).toBe(true);
    expect(server.tokenRequests).toBe(2);
  });

  it('keeps worstCaseDurationMs at attempts × timeout + backoff caps', () => {
    expect(client({ timeout: 500, maxAttempts: 3, maxRetryDelay: 1_000 }).worstCaseDurationMs).toBe(
      3 * 500 + 2 * 1_000,
    );
    const provider = new ClientCredentialsTokenProvider({
      tokenUrl: server.tokenUrl,
      clientId: 'retry-client',
      clientSecret: SECRET,
      serviceName: 'retrying',
      timeout: 500,
    });
    expect(provider.fetchTimeoutMs).toBe(3 * 500 + 2 * 5_000);
  });
});

describe('token endpoint failures that are not retried', () => {
  let server: ScriptedServer;
  let faults: BodyFaults;
  useLogCapture();

  beforeEach(async () => {
    server = await ScriptedServer.start();
    faults = new BodyFaults();
  });
  afterEach(async () => {
    faults.dispose();
    await server.close();
  });

  it('does not retry a response over the size limit', async () => {
    server.otherwise(faults.hugeToken(200_000));
    const error = await new TokenEndpointClient({
      tokenUrl: server.url('/token'),
      serviceName: 'big',
      clientId: 'c',
      clientSecret: SECRET,
    })
      .requestToken({ grant_type: 'client_credentials' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationException);
    expect(error).toMatchObject({ serviceName: 'big', attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });
});

import {
  AuthenticationException,
  BodyTokenFetcher,
  ClientCredentialsTokenProvider,
  TokenData,
  TokenFetchPipeline,
} from '../../lib';
import { useLogCapture } from '../support/log-capture';
import { ScriptedServer } from '../support/scripted-server';

function jwtWithExp(expSeconds: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ sub: 'svc', exp: expSeconds })}.sig`;
}

type Source = 'token endpoint' | 'pipeline step';
const SOURCES: Source[] = ['token endpoint', 'pipeline step'];

describe('token lifetimes, read the same way by the token endpoint and a pipeline step', () => {
  let server: ScriptedServer;
  useLogCapture();

  beforeEach(async () => {
    server = await ScriptedServer.start();
  });
  afterEach(() => server.close());

  /** Fetches one token whose response body is `body`, from the given kind of source. */
  function fetchFrom(source: Source, body: object, ttl?: number): Promise<TokenData> {
    server.reply({ status: 200, body: { token_type: 'Bearer', ...body } });
    if (source === 'token endpoint') {
      return new ClientCredentialsTokenProvider({
        tokenUrl: server.url('/token'),
        clientId: 'lifetime-client',
        clientSecret: 'lifetime-s3cret',
        serviceName: 'orders',
      }).fetchToken();
    }
    const step = new BodyTokenFetcher({
      name: 'session',
      baseUrl: server.url(),
      endpoint: '/session',
      ...(ttl !== undefined ? { ttl } : {}),
    });
    return new TokenFetchPipeline({ steps: [step] }).run({ serviceName: 'orders' });
  }

  async function refusal(source: Source, body: object): Promise<AuthenticationException> {
    const error = await fetchFrom(source, body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationException);
    return error as AuthenticationException;
  }

  describe.each(SOURCES)('from a %s', (source) => {
    it.each([
      ['0', 0, /expires_in gives a lifetime under 1 s/],
      ['0.0001', 0.0001, /expires_in gives a lifetime under 1 s/],
      ['0.5', 0.5, /expires_in gives a lifetime under 1 s/],
      ['-30', -30, /expires_in gives a lifetime under 1 s/],
      ['1e13', 1e13, /expires_in gives an expiry past the year 9999/],
      ['"abc"', 'abc', /expires_in is not a number of seconds/],
      ['"0x10"', '0x10', /expires_in is not a number of seconds/],
      ['true', true, /expires_in is not a number of seconds/],
    ])(
      'refuses expires_in %s with an AuthenticationException naming the service',
      async (_label, expiresIn, message) => {
        const error = await refusal(source, { access_token: 'tok-abc', expires_in: expiresIn });
        expect(error.serviceName).toBe('orders');
        expect(error.message).toMatch(message);
        expect(error.message).not.toContain('tok-abc');
        // Refused as it is: the server is not asked again.
        expect(server.requests).toHaveLength(1);
      },
    );

    it('reads expires_in as a number or a numeric string of seconds', async () => {
      const before = Date.now();
      const number = await fetchFrom(source, { access_token: 'a', expires_in: 90 });
      const text = await fetchFrom(source, { access_token: 'b', expires_in: ' 90 ' });
      for (const token of [number, text]) {
        expect(token.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 90_000);
        expect(token.expiresAt!.getTime()).toBeLessThanOrEqual(Date.now() + 90_000);
      }
    });

    it("falls back to the access token's JWT exp without expires_in", async () => {
      const exp = Math.floor(Date.now() / 1000) + 600;
      const token = await fetchFrom(source, { access_token: jwtWithExp(exp) });
      expect(token.expiresAt?.getTime()).toBe(exp * 1000);
    });

    it('refuses a JWT whose exp has passed, or lies past the year 9999', async () => {
      const past = await refusal(source, { access_token: jwtWithExp(1_000_000) });
      expect(past.message).toMatch(/JWT exp \(there is no expires_in\) gives a lifetime under 1 s/);
      const far = await refusal(source, { access_token: jwtWithExp(1e13) });
      expect(far.message).toMatch(/JWT exp .* past the year 9999/);
    });
  });

  it('gives an OAuth token without any expiry the default lifetime of one hour', async () => {
    const before = Date.now();
    const token = await fetchFrom('token endpoint', { access_token: 'opaque' });
    expect(token.expiresAt!.getTime() - before).toBeGreaterThanOrEqual(3_600_000);
    expect(token.expiresAt!.getTime() - Date.now()).toBeLessThanOrEqual(3_600_000);
  });

  it('keeps a step token without any expiry until it is invalidated', async () => {
    const token = await fetchFrom('pipeline step', { access_token: 'opaque' });
    expect(token.expiresAt).toBeUndefined();
  });

  it("caps a step's lifetime with its ttl, the shorter one winning", async () => {
    const jwt = jwtWithExp(Math.floor(Date.now() / 1000) + 3600);
    const cappedJwt = await fetchFrom('pipeline step', { access_token: jwt }, 60_000);
    expect(cappedJwt.expiresInMs()).toBeLessThanOrEqual(60_000);
    expect(cappedJwt.expiresInMs()).toBeGreaterThan(55_000);

    const shorter = await fetchFrom('pipeline step', { access_token: 'a', expires_in: 30 }, 60_000);
    expect(shorter.expiresInMs()).toBeLessThanOrEqual(30_000);
    expect(shorter.expiresInMs()).toBeGreaterThan(25_000);

    const ttlOnly = await fetchFrom('pipeline step', { access_token: 'b' }, 60_000);
    expect(ttlOnly.expiresInMs()).toBeGreaterThan(55_000);
  });

  it('still refuses an unusable expires_in when a ttl would cap it', async () => {
    server.reply({ status: 200, body: { access_token: 'c', expires_in: 0 } });
    const step = new BodyTokenFetcher({
      name: 'session',
      baseUrl: server.url(),
      endpoint: '/session',
      ttl: 60_000,
    });
    const run = new TokenFetchPipeline({ steps: [step] }).run({ serviceName: 'orders' });
    await expect(run).rejects.toThrow(/expires_in gives a lifetime under 1 s/);
  });
});

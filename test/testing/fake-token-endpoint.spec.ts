import {
  AuthenticationException,
  ClientCredentialsTokenProvider,
  PasswordGrantTokenProvider,
} from '../../lib';
import { FakeTokenEndpoint, ManualClock } from '../../lib/testing';

const CLIENT = { clientId: 'orders-app', clientSecret: 'o:rders s3cret/ü' };

async function post(
  endpoint: FakeTokenEndpoint,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(endpoint.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

/** RFC 6749 §2.3.1: id and secret form-encoded, then joined by `:` and base64-encoded. */
function basic(id: string, secret: string): Record<string, string> {
  const encode = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
  return {
    authorization: `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`,
  };
}

describe('FakeTokenEndpoint', () => {
  let endpoint: FakeTokenEndpoint;
  const clock = new ManualClock(Date.UTC(2030, 0, 1));

  beforeAll(async () => {
    endpoint = await FakeTokenEndpoint.start({
      clients: { [CLIENT.clientId]: CLIENT.clientSecret },
      users: { alice: 'al1ce-pa55' },
      clock,
    });
  });
  beforeEach(() => endpoint.reset());
  afterAll(() => endpoint.close());

  it('listens on 127.0.0.1 on an ephemeral port', () => {
    expect(endpoint.tokenUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/token$/);
  });

  describe('client credentials grant', () => {
    it('issues a token to a client authenticating with client_secret_basic (§2.3.1 form-encoded)', async () => {
      const { status, headers, body } = await post(
        endpoint,
        { grant_type: 'client_credentials', scope: 'orders:read' },
        basic(CLIENT.clientId, CLIENT.clientSecret),
      );
      expect(status).toBe(200);
      expect(headers.get('cache-control')).toBe('no-store');
      expect(body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 3600,
        scope: 'orders:read',
      });
      expect(endpoint.isValid(body.access_token as string)).toBe(true);
      expect(endpoint.requests).toEqual([
        {
          grantType: 'client_credentials',
          clientId: CLIENT.clientId,
          authMethod: 'client_secret_basic',
          scope: 'orders:read',
          status: 200,
        },
      ]);
    });

    it('issues a token to a client authenticating with client_secret_post', async () => {
      const { status, body } = await post(endpoint, {
        grant_type: 'client_credentials',
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
      });
      expect(status).toBe(200);
      expect(body.refresh_token).toBeUndefined(); // §4.4.3
      expect(endpoint.requests[0]).toMatchObject({ authMethod: 'client_secret_post' });
    });

    it.each([
      ['client_secret_basic', basic(CLIENT.clientId, 'wrong'), {}, 'wrong client secret'],
      [
        'client_secret_post',
        {},
        { client_id: CLIENT.clientId, client_secret: 'wrong' },
        'wrong client secret',
      ],
      [
        'an unknown client',
        {},
        { client_id: 'stranger', client_secret: CLIENT.clientSecret },
        'unknown client',
      ],
      ['no client secret', {}, { client_id: CLIENT.clientId }, 'client authentication required'],
      ['a Bearer header', { authorization: 'Bearer abc' }, {}, 'Authorization is not HTTP Basic'],
    ])(
      'answers a wrong secret with invalid_client (%s), saying why',
      async (_how, headers, form, why) => {
        const { status, body } = await post(
          endpoint,
          { grant_type: 'client_credentials', ...form },
          headers,
        );
        expect(status).toBe(401);
        expect(body).toEqual({ error: 'invalid_client', error_description: why });
        expect(endpoint.tokenRequests).toBe(1);
      },
    );

    it('challenges a client that tried HTTP Basic with WWW-Authenticate (§5.2)', async () => {
      const tried = await post(
        endpoint,
        { grant_type: 'client_credentials' },
        basic(CLIENT.clientId, 'wrong'),
      );
      expect(tried.headers.get('www-authenticate')).toMatch(/^Basic /);
      const posted = await post(endpoint, {
        grant_type: 'client_credentials',
        client_id: CLIENT.clientId,
        client_secret: 'wrong',
      });
      expect(posted.headers.get('www-authenticate')).toBeNull();
    });

    it('refuses a client assertion (it checks shared secrets only) with invalid_client', async () => {
      const { generateKeyPairSync } = await import('node:crypto');
      const provider = new ClientCredentialsTokenProvider({
        tokenUrl: endpoint.tokenUrl,
        clientId: CLIENT.clientId,
        serviceName: 'assertion',
        authMethod: 'private_key_jwt',
        privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' })
          .privateKey.export({ type: 'pkcs8', format: 'pem' })
          .toString(),
      });
      await expect(provider.fetchToken()).rejects.toMatchObject({
        error: 'invalid_client',
        errorDescription: 'client authentication required',
        status: 401,
      });
    });

    it('refuses two client authentication methods in one request (§2.3)', async () => {
      const { status, body } = await post(
        endpoint,
        { grant_type: 'client_credentials', client_secret: CLIENT.clientSecret },
        basic(CLIENT.clientId, CLIENT.clientSecret),
      );
      expect([status, body.error]).toEqual([401, 'invalid_client']);
    });

    it('is what ClientCredentialsTokenProvider gets its token from, with either auth method', async () => {
      for (const authMethod of ['header', 'body'] as const) {
        const provider = new ClientCredentialsTokenProvider({
          ...CLIENT,
          tokenUrl: endpoint.tokenUrl,
          serviceName: 'orders',
          authMethod,
        });
        const token = await provider.fetchToken();
        expect(endpoint.isValid(token.accessToken)).toBe(true);
      }
      expect(endpoint.requests.map((r) => r.authMethod)).toEqual([
        'client_secret_basic',
        'client_secret_post',
      ]);
    });

    it('makes the library raise invalid_client, not retried, for a wrong secret', async () => {
      const provider = new ClientCredentialsTokenProvider({
        ...CLIENT,
        clientSecret: 'wrong',
        tokenUrl: endpoint.tokenUrl,
        serviceName: 'orders',
      });
      const error = await provider.fetchToken().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationException);
      expect(error).toMatchObject({ error: 'invalid_client', status: 401 });
      expect(endpoint.tokenRequests).toBe(1);
    });
  });

  describe('password grant', () => {
    it('issues an access and a refresh token to a known user', async () => {
      const { status, body } = await post(
        endpoint,
        { grant_type: 'password', username: 'alice', password: 'al1ce-pa55' },
        basic(CLIENT.clientId, CLIENT.clientSecret),
      );
      expect(status).toBe(200);
      expect(body.refresh_token).toEqual(expect.any(String));
      expect(endpoint.requests[0]).toMatchObject({ grantType: 'password', status: 200 });
    });

    it('answers a wrong password or an unknown user with invalid_grant', async () => {
      for (const [username, password] of [
        ['alice', 'wrong'],
        ['mallory', 'al1ce-pa55'],
      ]) {
        const { status, body } = await post(
          endpoint,
          { grant_type: 'password', username, password },
          basic(CLIENT.clientId, CLIENT.clientSecret),
        );
        expect([status, body.error]).toEqual([400, 'invalid_grant']);
      }
    });
  });

  describe('refresh_token grant', () => {
    it('renews with the refresh token PasswordGrantTokenProvider got, for the same client only', async () => {
      const provider = new PasswordGrantTokenProvider({
        ...CLIENT,
        tokenUrl: endpoint.tokenUrl,
        serviceName: 'me',
        username: 'alice',
        password: 'al1ce-pa55',
      });
      const first = await provider.fetchToken();
      const renewed = await provider.refreshToken!(first);
      expect(renewed.accessToken).not.toBe(first.accessToken);
      expect(endpoint.requests.map((r) => r.grantType)).toEqual(['password', 'refresh_token']);
      expect(endpoint.isValid(renewed.accessToken)).toBe(true);

      const foreign = await post(endpoint, {
        grant_type: 'refresh_token',
        refresh_token: first.refreshToken!,
      });
      expect(foreign.status).toBe(401); // no client authentication at all
      const revoked = first.refreshToken!;
      endpoint.revoke(revoked);
      const refused = await post(
        endpoint,
        { grant_type: 'refresh_token', refresh_token: revoked },
        basic(CLIENT.clientId, CLIENT.clientSecret),
      );
      expect([refused.status, refused.body.error]).toEqual([400, 'invalid_grant']);
    });

    it('refuses a scope beyond the original grant (§6)', async () => {
      const granted = await post(
        endpoint,
        { grant_type: 'password', username: 'alice', password: 'al1ce-pa55', scope: 'a' },
        basic(CLIENT.clientId, CLIENT.clientSecret),
      );
      const wider = await post(
        endpoint,
        {
          grant_type: 'refresh_token',
          refresh_token: String(granted.body.refresh_token),
          scope: 'a b',
        },
        basic(CLIENT.clientId, CLIENT.clientSecret),
      );
      expect(wider.body.error).toBe('invalid_scope');
    });
  });

  it('answers an unknown grant with unsupported_grant_type and a missing one with invalid_request', async () => {
    const auth = basic(CLIENT.clientId, CLIENT.clientSecret);
    const unknown = await post(endpoint, { grant_type: 'authorization_code' }, auth);
    expect([unknown.status, unknown.body.error]).toEqual([400, 'unsupported_grant_type']);
    const missing = await post(endpoint, {}, auth);
    expect([missing.status, missing.body.error]).toEqual([400, 'invalid_request']);
    expect(endpoint.tokenRequests).toBe(2);
  });

  it('refuses a request that is not a form-encoded POST (§3.2, §4.4.2) with invalid_request', async () => {
    const auth = basic(CLIENT.clientId, CLIENT.clientSecret);
    const json = await fetch(endpoint.tokenUrl, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect([json.status, ((await json.json()) as { error: string }).error]).toEqual([
      400,
      'invalid_request',
    ]);
    const get = await fetch(`${endpoint.tokenUrl}?grant_type=client_credentials`, {
      headers: auth,
    });
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    expect(endpoint.tokenRequests).toBe(2);
  });

  it('counts every request, failed ones too, and logs each', async () => {
    await post(endpoint, { grant_type: 'client_credentials' }, basic(CLIENT.clientId, 'wrong'));
    await post(
      endpoint,
      { grant_type: 'client_credentials' },
      basic(CLIENT.clientId, CLIENT.clientSecret),
    );
    expect(endpoint.tokenRequests).toBe(2);
    expect(endpoint.requests.map((r) => r.status)).toEqual([401, 200]);
  });

  describe('failNext', () => {
    it('answers the next requests with the scripted status, error, body and delay, then recovers', async () => {
      endpoint.failNext(2, { status: 503, error: 'temporarily_unavailable' });
      endpoint.failNext(1, { status: 200, body: '<html>maintenance</html>', delayMs: 150 });
      const auth = basic(CLIENT.clientId, CLIENT.clientSecret);
      const form = { grant_type: 'client_credentials' };
      expect((await post(endpoint, form, auth)).body).toEqual({ error: 'temporarily_unavailable' });
      expect((await post(endpoint, form, auth)).status).toBe(503);
      const started = Date.now();
      const html = await fetch(endpoint.tokenUrl, { method: 'POST', headers: auth, body: '' });
      expect(await html.text()).toBe('<html>maintenance</html>');
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect((await post(endpoint, form, auth)).status).toBe(200);
      expect(endpoint.tokenRequests).toBe(4);
    });

    it('is retried by the library when transient, and makes it give up when not', async () => {
      const provider = new ClientCredentialsTokenProvider({
        ...CLIENT,
        tokenUrl: endpoint.tokenUrl,
        serviceName: 'orders',
      });
      endpoint.failNext(1, { status: 503 });
      await expect(provider.fetchToken()).resolves.toBeDefined();
      expect(endpoint.requests.map((r) => r.status)).toEqual([503, 200]);

      endpoint.failNext(1, { status: 400, error: 'invalid_scope' });
      await expect(provider.fetchToken()).rejects.toMatchObject({ error: 'invalid_scope' });
      expect(endpoint.tokenRequests).toBe(3);
    });

    it('refuses a count or status that makes no sense', () => {
      expect(() => endpoint.failNext(0, { status: 500 })).toThrow(RangeError);
      expect(() => endpoint.failNext(1, { status: 42 })).toThrow(RangeError);
    });
  });

  describe('isValid and revoke', () => {
    async function issue(): Promise<string> {
      const { body } = await post(
        endpoint,
        { grant_type: 'client_credentials' },
        basic(CLIENT.clientId, CLIENT.clientSecret),
      );
      return body.access_token as string;
    }

    it('knows only the tokens it issued', async () => {
      expect(endpoint.isValid('made-up')).toBe(false);
      expect(endpoint.isValid(await issue())).toBe(true);
    });

    it('revokes one token, or every token when none is named', async () => {
      const [a, b, c] = [await issue(), await issue(), await issue()];
      endpoint.revoke(a);
      expect([a, b, c].map((t) => endpoint.isValid(t))).toEqual([false, true, true]);
      endpoint.revoke();
      expect([b, c].map((t) => endpoint.isValid(t))).toEqual([false, false]);
    });

    it('expires tokens by its clock', async () => {
      const token = await issue();
      clock.advance(3_599_999);
      expect(endpoint.isValid(token)).toBe(true);
      clock.advance(1);
      expect(endpoint.isValid(token)).toBe(false);
    });

    it('issues tokens with the expires_in set, or none', async () => {
      endpoint.expiresIn = 2;
      const auth = basic(CLIENT.clientId, CLIENT.clientSecret);
      expect(
        (await post(endpoint, { grant_type: 'client_credentials' }, auth)).body.expires_in,
      ).toBe(2);
      endpoint.expiresIn = null;
      const { body } = await post(endpoint, { grant_type: 'client_credentials' }, auth);
      expect(body.expires_in).toBeUndefined();
      clock.advance(365 * 24 * 3_600_000);
      expect(endpoint.isValid(body.access_token as string)).toBe(true);
    });
  });

  it('reset forgets requests, scripted failures and tokens', async () => {
    const auth = basic(CLIENT.clientId, CLIENT.clientSecret);
    const { body } = await post(endpoint, { grant_type: 'client_credentials' }, auth);
    endpoint.failNext(3, { status: 500 });
    endpoint.expiresIn = 5;
    endpoint.reset();
    expect([endpoint.tokenRequests, endpoint.requests, endpoint.expiresIn]).toEqual([0, [], 3600]);
    expect(endpoint.isValid(body.access_token as string)).toBe(false);
    expect((await post(endpoint, { grant_type: 'client_credentials' }, auth)).status).toBe(200);
  });

  it('accepts any client and user when none are configured, and answers other paths 404', async () => {
    const open = await FakeTokenEndpoint.start({ tokenType: 'DPoP', refreshTokens: false });
    try {
      const { status, body } = await post(open, {
        grant_type: 'password',
        client_id: 'anyone',
        username: 'bob',
        password: 'x',
      });
      expect(status).toBe(200);
      expect(body).toMatchObject({ token_type: 'DPoP' });
      expect(body.refresh_token).toBeUndefined();
      expect(open.requests[0]).toMatchObject({ clientId: 'anyone', authMethod: 'none' });
      const elsewhere = await fetch(open.tokenUrl.replace('/oauth/token', '/token'), {
        method: 'POST',
      });
      expect(elsewhere.status).toBe(404);
      expect(open.tokenRequests).toBe(1);
    } finally {
      await open.close();
    }
  });

  it('closes with a delayed answer pending, leaving no open handle', async () => {
    const slow = await FakeTokenEndpoint.start();
    slow.failNext(1, { status: 500, delayMs: 60_000 });
    const pending = fetch(slow.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    while (slow.tokenRequests === 0) await new Promise((r) => setImmediate(r));
    await slow.close();
    await expect(pending).rejects.toThrow();
  });
});

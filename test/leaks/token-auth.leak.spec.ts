import { ForgeClient, ForgeClientOptions } from '../../lib';
import { TokenAuthOptionsPlain } from '../../lib/client/client-options.interface';
import { OidcTestServer, POST_CLIENT } from '../support/oidc-server';
import { ALICE, PASSWORD_CLIENT, PasswordGrantTestServer } from '../support/password-grant-server';
import { closedPort, RecordingServer } from '../support/recording-server';
import { bearerOf, startEchoApi } from './echo-api';
import { LeakHarness } from './leak-harness';

/** Client options for an API at `baseUrl` with token auth, retries on, short timeout. */
function tokenClient(baseUrl: string, auth: TokenAuthOptionsPlain): ForgeClientOptions {
  return {
    baseUrl,
    auth,
    storage: 'memory',
    timeout: 300,
    retry: { type: 'exponential', maxRetries: 2, baseDelay: 10, maxDelay: 20, jitter: false },
  };
}

/** 200, 401 until the auth retry gives up, 403, 500 with retries, a timeout, a refused connection. */
async function driveApiFailures(
  leaks: LeakHarness,
  client: ForgeClient,
  afterEachCall: () => void,
): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    client.get('/ok').subscribe({ complete: resolve, error: reject }),
  );
  afterEachCall();
  const exhausted = await leaks.failure(client, { method: 'GET', url: '/401' });
  expect(exhausted.name).toBe('AuthenticationException');
  afterEachCall();
  for (const path of ['/403', '/500', '/slow']) {
    await leaks.failure(client, { method: 'GET', url: path });
    afterEachCall();
  }
}

describe('no secret leaks with client credentials (oidc-provider)', () => {
  let oidc: OidcTestServer;
  let api: RecordingServer;
  let leaks: LeakHarness;

  beforeAll(async () => {
    oidc = await OidcTestServer.start();
  });
  afterAll(async () => {
    await oidc.close();
  });
  beforeEach(async () => {
    await oidc.setFaults({});
    api = await startEchoApi();
    leaks = new LeakHarness();
    leaks.addSecrets(POST_CLIENT.clientSecret);
  });
  afterEach(async () => {
    await leaks.close();
    await api.close();
  });

  const auth = (clientSecret = POST_CLIENT.clientSecret): TokenAuthOptionsPlain => ({
    type: 'client-credentials',
    tokenUrl: oidc.tokenUrl,
    clientId: POST_CLIENT.clientId,
    clientSecret,
    scope: 'api:read',
  });

  it('through API 200, 401 (auth retries exhausted), 403, 500, timeout and refused', async () => {
    leaks.expectAllLevelsCaptured();
    const client = await leaks.client('leak-cc', tokenClient(api.url, auth()));
    const issued = new Set<string>();
    await driveApiFailures(leaks, client, () => {
      for (const request of api.requests) if (bearerOf(request)) issued.add(bearerOf(request)!);
    });
    const down = await leaks.client(
      'leak-cc-down',
      tokenClient(`http://127.0.0.1:${await closedPort()}`, auth()),
    );
    await leaks.failure(down, { method: 'GET', url: '/ok' });
    leaks.addSecrets(...issued);

    // Control: the 401 made the client fetch a second token; both were real, issued tokens.
    expect(issued.size).toBeGreaterThanOrEqual(2);
    for (const token of issued) expect((await oidc.introspect(token)).active).toBe(true);
    leaks.expectHeadersAndBodiesLogged();
    leaks.expectDetects([...issued][0]);
    leaks.expectClean();
  });

  it('in the warning about a failing afterResponse or onError hook', async () => {
    // A careless hook that puts the token it saw on the request into its error message.
    const careless = (config: { headers?: unknown }) => {
      const authorization = String((config.headers as Record<string, unknown>).Authorization);
      throw new Error(`audit failed for token ${authorization.split(' ')[1]}`);
    };
    const seen: { token?: string } = {};
    const client = await leaks.client('leak-cc-hooks', {
      ...tokenClient(api.url, auth()),
      hooks: [
        {
          afterResponse: [(response) => careless(response.config)],
          onError: [
            (error) => {
              const token = (error as { response?: { data?: { presented?: string } } }).response
                ?.data?.presented;
              throw new Error(`audit failed for ${token} and ${String(seen.token)}`);
            },
          ],
        },
      ],
    });
    await new Promise<void>((resolve, reject) =>
      client.get('/ok').subscribe({ complete: resolve, error: reject }),
    );
    seen.token = bearerOf(api.requests[0]);
    const lastToken = seen.token!;
    await leaks.failure(client, { method: 'GET', url: '/403' });
    leaks.addSecrets(lastToken);

    // Control: both hooks failed and were reported.
    expect(leaks.logs.text).toMatch(/afterResponse hook #1 failed/);
    expect(leaks.logs.text).toMatch(/onError hook #2 failed/);
    leaks.expectDetects(lastToken);
    leaks.expectClean();
  });

  it('through token endpoint invalid_client, 500s and HTML pages', async () => {
    const wrongSecret = 'wr0ng-client-s3cret-value';
    leaks.addSecrets(wrongSecret);
    const wrong = await leaks.client('leak-cc-wrong', tokenClient(api.url, auth(wrongSecret)));
    const refused = await leaks.failure(wrong, { method: 'GET', url: '/ok' });
    expect(refused).toMatchObject({ name: 'AuthenticationException', error: 'invalid_client' });

    await oidc.setFaults({ statuses: [500, 500, 500, 'html', 'html', 'html'] });
    const faulty = await leaks.client('leak-cc-faults', tokenClient(api.url, auth()));
    await leaks.failure(faulty, { method: 'GET', url: '/ok' });
    await leaks.failure(faulty, { method: 'GET', url: '/ok' });

    // Control: the server saw the requests (with the secrets in their bodies).
    expect((await oidc.stats()).tokenRequests).toBeGreaterThanOrEqual(7);
    expect(api.requests).toHaveLength(0);
    leaks.expectDetects(wrongSecret);
    leaks.expectClean();
  });
});

describe('no secret leaks with the password grant (@node-oauth/oauth2-server)', () => {
  let authServer: PasswordGrantTestServer;
  let api: RecordingServer;
  let leaks: LeakHarness;

  beforeEach(async () => {
    authServer = await PasswordGrantTestServer.start();
    api = await startEchoApi();
    leaks = new LeakHarness();
    leaks.addSecrets(PASSWORD_CLIENT.clientSecret, ALICE.password);
  });
  afterEach(async () => {
    await leaks.close();
    await api.close();
    await authServer.close();
  });

  const auth = (password = ALICE.password, clientSecret = PASSWORD_CLIENT.clientSecret) =>
    ({
      type: 'password',
      tokenUrl: authServer.tokenUrl,
      clientId: PASSWORD_CLIENT.clientId,
      clientSecret,
      username: ALICE.username,
      password,
    }) as const;

  it('through API 200, 401 (refresh, then retries exhausted), 403, 500, timeout and refused', async () => {
    const client = await leaks.client('leak-pw', tokenClient(api.url, auth()));
    const issued = new Set<string>();
    await driveApiFailures(leaks, client, () => {
      for (const request of api.requests) if (bearerOf(request)) issued.add(bearerOf(request)!);
      for (const token of authServer.stores.refreshTokens.keys()) issued.add(token);
    });
    const down = await leaks.client(
      'leak-pw-down',
      tokenClient(`http://127.0.0.1:${await closedPort()}`, auth()),
    );
    await leaks.failure(down, { method: 'GET', url: '/ok' });
    leaks.addSecrets(...issued);

    // Control: a password grant, then the refused token was renewed with its refresh token.
    expect(authServer.grantCounts.password).toBeGreaterThanOrEqual(1);
    expect(authServer.grantCounts.refresh_token).toBeGreaterThanOrEqual(1);
    expect(issued.size).toBeGreaterThanOrEqual(3);
    leaks.expectHeadersAndBodiesLogged();
    leaks.expectDetects(ALICE.password);
    leaks.expectClean();
  });

  it('through a wrong password and a wrong client secret', async () => {
    const wrongPassword = 'wr0ng-passw0rd-for-alice';
    const wrongSecret = 'wr0ng-pw-client-s3cret';
    leaks.addSecrets(wrongPassword, wrongSecret);
    const badUser = await leaks.client('leak-pw-user', tokenClient(api.url, auth(wrongPassword)));
    const badClient = await leaks.client(
      'leak-pw-client',
      tokenClient(api.url, auth(ALICE.password, wrongSecret)),
    );
    const grantRefused = await leaks.failure(badUser, { method: 'GET', url: '/ok' });
    const clientRefused = await leaks.failure(badClient, { method: 'GET', url: '/ok' });
    expect(grantRefused).toMatchObject({ error: 'invalid_grant' });
    expect(clientRefused).toMatchObject({ error: 'invalid_client' });

    expect(authServer.grantCounts.password).toBe(2);
    leaks.expectDetects(wrongPassword);
    leaks.expectClean();
  });
});

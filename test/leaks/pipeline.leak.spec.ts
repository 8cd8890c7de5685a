import { ForgeClientOptions } from '../../lib';
import { PipelineStepConfig } from '../../lib/pipeline/pipeline-auth.options';
import { appStepOptions, userStepOptions } from '../pipeline/two-step-config';
import {
  APP_CLIENT_SECRET,
  startTokenServers,
  TokenServers,
  USER_PASSWORD,
} from '../support/pipeline-token-servers';
import { closedPort, RecordingServer } from '../support/recording-server';
import { bearerOf, startEchoApi } from './echo-api';
import { LeakHarness } from './leak-harness';

describe('no secret leaks with a two-step token pipeline', () => {
  let servers: TokenServers;
  let api: RecordingServer;
  let leaks: LeakHarness;

  beforeEach(async () => {
    servers = await startTokenServers();
    api = await startEchoApi();
    leaks = new LeakHarness();
    leaks.addSecrets(APP_CLIENT_SECRET, USER_PASSWORD);
  });
  afterEach(async () => {
    await leaks.close();
    await api.close();
    await servers.close();
  });

  const steps = (
    app: Partial<PipelineStepConfig> = {},
    user: Partial<PipelineStepConfig> = {},
  ): PipelineStepConfig[] => [
    { ...appStepOptions(servers), ...app },
    {
      ...userStepOptions(servers),
      requestHeaders: { Authorization: 'Bearer {{app_token}}' },
      ...user,
    },
  ];

  const options = (baseUrl: string, pipelineSteps = steps()): ForgeClientOptions => ({
    baseUrl,
    storage: 'memory',
    timeout: 300,
    retry: { type: 'exponential', maxRetries: 2, baseDelay: 10, maxDelay: 20, jitter: false },
    auth: { type: 'pipeline', steps: pipelineSteps },
  });

  /** Every token the servers issued that reached the API or the user step. */
  const issuedTokens = (): string[] => [
    ...api.requests.map(bearerOf).filter((t): t is string => t !== undefined),
    ...servers.userAuthorizations.map((h) => h.replace(/^Bearer /, '')).filter(Boolean),
  ];

  it('through API 200, 401 (auth retries exhausted), 403, 500, timeout and refused', async () => {
    leaks.expectAllLevelsCaptured();
    const client = await leaks.client('leak-pipeline', options(api.url));
    await new Promise<void>((resolve, reject) =>
      client.get('/ok').subscribe({ complete: resolve, error: reject }),
    );
    const exhausted = await leaks.failure(client, { method: 'GET', url: '/401' });
    expect(exhausted.name).toBe('AuthenticationException');
    for (const path of ['/403', '/500', '/slow']) {
      await leaks.failure(client, { method: 'GET', url: path });
    }
    const down = await leaks.client(
      'leak-pipeline-down',
      options(`http://127.0.0.1:${await closedPort()}`),
    );
    await leaks.failure(down, { method: 'GET', url: '/ok' });
    const tokens = issuedTokens();
    leaks.addSecrets(...tokens);

    // Control: both steps ran, the 401 fetched a new user token, the API got the user tokens.
    expect(servers.counts.app).toBeGreaterThanOrEqual(1);
    expect(servers.counts.user).toBeGreaterThanOrEqual(2);
    expect(new Set(api.requests.map(bearerOf)).size).toBeGreaterThanOrEqual(2);
    expect(tokens.some((t) => t.startsWith('app-'))).toBe(true);
    leaks.expectHeadersAndBodiesLogged();
    leaks.expectDetects(tokens[0]);
    leaks.expectClean();
  });

  it('through a failing step: wrong password echoed back, wrong client secret, step down, bad answers', async () => {
    const wrongPassword = 'pipeline-wr0ng-pw-31';
    const wrongSecret = 'pipeline-wr0ng-s3cret-32';
    leaks.addSecrets(wrongPassword, wrongSecret);
    const badPassword = await leaks.client(
      'leak-step-password',
      options(api.url, steps({}, { requestData: { username: 'alice', password: wrongPassword } })),
    );
    const refused = await leaks.failure(badPassword, { method: 'GET', url: '/ok' });
    expect(refused).toMatchObject({ step: 'user_token', error: 'invalid_grant' });

    const badSecret = await leaks.client(
      'leak-step-secret',
      options(
        api.url,
        steps({
          requestData: {
            grant_type: 'client_credentials',
            client_id: 'app-client',
            client_secret: wrongSecret,
          },
        }),
      ),
    );
    expect(await leaks.failure(badSecret, { method: 'GET', url: '/ok' })).toMatchObject({
      step: 'app_token',
      error: 'invalid_client',
    });

    const stepDown = await leaks.client(
      'leak-step-down',
      options(api.url, steps({}, { baseUrl: `http://127.0.0.1:${await closedPort()}` })),
    );
    expect(await leaks.failure(stepDown, { method: 'GET', url: '/ok' })).toMatchObject({
      step: 'user_token',
    });

    // A step endpoint answering 200 with HTML, then with broken JSON, each echoing the request.
    const broken = await RecordingServer.start((_req, res, recorded) => {
      const html = broken.requests.length % 2 === 1;
      res.writeHead(200, { 'content-type': html ? 'text/html' : 'application/json' });
      res.end(html ? `<p>${recorded.body}</p>` : `{"access_token": "${recorded.body}`);
    });
    try {
      const badAnswers = await leaks.client(
        'leak-step-broken',
        options(api.url, steps({ baseUrl: broken.url })),
      );
      await leaks.failure(badAnswers, { method: 'GET', url: '/ok' });
      await leaks.failure(badAnswers, { method: 'GET', url: '/ok' });
      expect(broken.requests[0].body).toContain(`client_secret=${APP_CLIENT_SECRET}`);
    } finally {
      await broken.close();
    }

    // A number is a secret too when a step sends it (a PIN): a refusal echoes it as digits.
    const pin = 98_765_432;
    leaks.addSecrets(String(pin));
    const refusing = await RecordingServer.start((_req, res, recorded) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_request', error_description: recorded.body }));
    });
    try {
      const requestData = { ...appStepOptions(servers).requestData, pin };
      const withPin = await leaks.client(
        'leak-step-pin',
        options(api.url, steps({ baseUrl: refusing.url, requestData })),
      );
      expect(await leaks.failure(withPin, { method: 'GET', url: '/ok' })).toMatchObject({
        error: 'invalid_request',
      });
      expect(refusing.requests[0].body).toContain(`pin=${pin}`);
    } finally {
      await refusing.close();
    }

    // Control: the user step received the wrong password (and echoed it), the app step the secret.
    expect(servers.counts.user).toBeGreaterThanOrEqual(1);
    expect(servers.counts.app).toBeGreaterThanOrEqual(2);
    expect(api.requests).toHaveLength(0);
    leaks.addSecrets(...issuedTokens());
    leaks.expectDetects(wrongPassword);
    leaks.expectClean();
  });
});

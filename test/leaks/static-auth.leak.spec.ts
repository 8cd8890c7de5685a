import axios from 'axios';
import { ForgeClientOptions } from '../../lib';
import { StaticAuthOptions } from '../../lib/client/client-options.interface';
import { closedPort, RecordingServer } from '../support/recording-server';
import { startEchoApi } from './echo-api';
import { LeakHarness } from './leak-harness';

const BEARER_TOKEN = 'static-bearer-tok-1a2b3c';
const API_KEY = 'static-api-key-4d5e6f';
const BASIC_PASSWORD = 'basic-pa55-7g8h9i';
const BASIC_ENCODED = Buffer.from(`svc-user:${BASIC_PASSWORD}`).toString('base64');

interface StaticCase {
  kind: string;
  auth: StaticAuthOptions;
  secrets: string[];
  /** What the API must have received, proving the secret travelled. */
  received(request: RecordingServer['requests'][number]): unknown;
  sent: string;
}

const cases: StaticCase[] = [
  {
    kind: 'bearer',
    auth: { type: 'bearer', token: BEARER_TOKEN },
    secrets: [BEARER_TOKEN, `Bearer ${BEARER_TOKEN}`],
    received: (r) => r.headers.authorization,
    sent: `Bearer ${BEARER_TOKEN}`,
  },
  {
    kind: 'api-key',
    auth: { type: 'api-key', key: API_KEY },
    secrets: [API_KEY],
    received: (r) => r.headers['x-api-key'],
    sent: API_KEY,
  },
  {
    kind: 'basic',
    auth: { type: 'basic', username: 'svc-user', password: BASIC_PASSWORD },
    secrets: [BASIC_PASSWORD, BASIC_ENCODED, `Basic ${BASIC_ENCODED}`],
    received: (r) => r.headers.authorization,
    sent: `Basic ${BASIC_ENCODED}`,
  },
];

describe.each(cases)(
  'no secret leaks with $kind auth',
  ({ kind, auth, secrets, received, sent }) => {
    let api: RecordingServer;
    let leaks: LeakHarness;

    beforeEach(async () => {
      api = await startEchoApi();
      leaks = new LeakHarness();
      leaks.addSecrets(...secrets);
    });
    afterEach(async () => {
      await leaks.close();
      await api.close();
    });

    const options = (baseUrl: string): ForgeClientOptions => ({
      baseUrl,
      auth,
      timeout: 300,
      retry: { type: 'exponential', maxRetries: 2, baseDelay: 10, maxDelay: 20, jitter: false },
    });

    it('through 200, 401, 403, 500 with retries, a timeout and a refused connection', async () => {
      leaks.expectAllLevelsCaptured();
      const client = await leaks.client(`leak-${kind}`, options(api.url));
      await new Promise<void>((resolve, reject) =>
        client.get('/ok').subscribe({ complete: resolve, error: reject }),
      );
      for (const path of ['/401', '/403', '/500', '/slow']) {
        await leaks.failure(client, { method: 'GET', url: path });
      }
      const refused = await leaks.client(
        `leak-${kind}-down`,
        options(`http://127.0.0.1:${await closedPort()}`),
      );
      const connectionError = await leaks.failure(refused, { method: 'GET', url: '/ok' });
      expect(connectionError.name).toBe('ConnectionException');

      // Control: the API got the credential on every attempt (3 for the 500), and the responses
      // echoed it back, so a missing redaction would show.
      expect(api.requests.map((r) => r.path)).toEqual(
        expect.arrayContaining(['/ok', '/401', '/403', '/500', '/500', '/500', '/slow']),
      );
      for (const request of api.requests) expect(received(request)).toBe(sent);
      expect(leaks.hookErrors.length).toBeGreaterThanOrEqual(6);
      expect(leaks.logs.lines.length).toBeGreaterThanOrEqual(8);
      leaks.expectHeadersAndBodiesLogged();
      leaks.expectDetects(secrets[0]);
      leaks.expectClean();
    });

    it('through calls the caller aborted, with a signal and with a cancelToken', async () => {
      const client = await leaks.client(`leak-${kind}-abort`, {
        ...options(api.url),
        timeout: 10_000,
      });
      const controller = new AbortController();
      const source = axios.CancelToken.source();
      const bySignal = leaks.failure(client, { url: '/slow', signal: controller.signal });
      const byToken = leaks.failure(client, { url: '/slow', cancelToken: source.token });
      await api.waitForRequests(2);
      controller.abort();
      source.cancel('caller gave up');
      for (const aborted of [await bySignal, await byToken]) {
        expect(axios.isCancel(aborted)).toBe(true);
      }
      for (const request of api.requests) expect(received(request)).toBe(sent);
      leaks.expectClean();
    });
  },
);

describe('no secret leaks from request bodies and query strings', () => {
  let api: RecordingServer;
  let leaks: LeakHarness;
  const body = {
    password: 'body-password-0a1b',
    client_secret: 'body-client-secret-2c3d',
    refresh_token: 'body-refresh-token-4e5f',
    nested: { access_token: 'body-access-token-6g7h' },
    note: 'harmless',
  };
  const query = { api_key: 'query-api-key-8i9j', token: 'query-token-0k1l' };

  beforeEach(async () => {
    api = await startEchoApi();
    leaks = new LeakHarness();
    leaks.addSecrets(
      body.password,
      body.client_secret,
      body.refresh_token,
      body.nested.access_token,
      query.api_key,
      query.token,
      API_KEY,
    );
  });
  afterEach(async () => {
    await leaks.close();
    await api.close();
  });

  it('a JSON and a form POST with secrets in body and query, echoed back with a 400', async () => {
    const client = await leaks.client('leak-body', {
      baseUrl: api.url,
      auth: { type: 'api-key', key: API_KEY },
    });
    const queryString = new URLSearchParams(query).toString();
    await leaks.failure(client, { method: 'POST', url: `/echo?${queryString}`, data: body });
    const { nested, ...flat } = body;
    const form = new URLSearchParams({ ...flat, access_token: nested.access_token }).toString();
    await leaks.failure(client, {
      method: 'POST',
      url: '/echo',
      params: query,
      data: form,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });

    // Control: the API received every secret in the body and the query.
    const [jsonRequest, formRequest] = api.requests;
    expect(JSON.parse(jsonRequest.body)).toEqual(body);
    expect(jsonRequest.url).toContain(queryString);
    expect(Object.fromEntries(new URLSearchParams(formRequest.body))).toMatchObject({
      password: body.password,
      access_token: nested.access_token,
    });
    expect(formRequest.url).toContain(queryString);
    leaks.expectDetects(body.password);
    leaks.expectClean();
  });
});

describe('no leak of a default header the user marked sensitive', () => {
  const SESSION = 'partner-session-5m6n7o';
  let api: RecordingServer;
  let leaks: LeakHarness;

  beforeEach(async () => {
    // Careless error pages dump the request headers as plain text.
    api = await RecordingServer.start((req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(
        Object.entries(req.headers)
          .map(([k, v]) => `${k}: ${String(v)}`)
          .join('\n'),
      );
    });
    leaks = new LeakHarness();
    leaks.addSecrets(SESSION, API_KEY);
  });
  afterEach(async () => {
    await leaks.close();
    await api.close();
  });

  it('echoed back in a text body: hidden in the error and the logged body like the credential', async () => {
    const client = await leaks.client('leak-default-header', {
      baseUrl: api.url,
      auth: { type: 'api-key', key: API_KEY },
      headers: { 'X-Partner-Session': SESSION },
      logging: { logHeaders: true, logBody: true, sensitiveKeys: ['x-partner-session'] },
    });
    const error = await leaks.failure(client, { url: '/dump' });

    // Control: the API got the header, and its answer showed it.
    expect(api.requests[0].headers['x-partner-session']).toBe(SESSION);
    expect((error.response as { data: string }).data).toContain('x-partner-session: ***');
    leaks.expectDetects(SESSION);
    leaks.expectClean();
  });
});

import { ServerResponse } from 'node:http';
import { ForgeClientOptions } from '../../lib';
import { RecordedRequest, RecordingServer } from '../support/recording-server';
import { bearerOf, startEchoApi } from './echo-api';
import { LeakHarness } from './leak-harness';

const CLIENT_SECRET = 'scripted-client-s3cret-77';
const PASSWORD = 'scripted-user-passw0rd-88';

type Answer = (request: RecordedRequest, res: ServerResponse) => void;

const send =
  (status: number, body: unknown, contentType = 'application/json'): Answer =>
  (_request, res) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

/**
 * A token endpoint that misbehaves in ways a real server will not on demand: bodies echoing the
 * request (secrets included) in `error_description` or under other keys, 5xx, HTML and broken JSON
 * on 200, no answer at all. Answers come from a queue; once it is empty it issues tokens.
 */
async function startEchoingTokenEndpoint(): Promise<{ server: RecordingServer; queue: Answer[] }> {
  const queue: Answer[] = [];
  let issued = 0;
  const server = await RecordingServer.start((_req, res, recorded) => {
    const answer = queue.shift();
    if (answer) return answer(recorded, res);
    issued += 1;
    send(200, {
      access_token: `te-token-${issued}-abcdef`,
      token_type: 'Bearer',
      expires_in: 3600,
    })(recorded, res);
  });
  return { server, queue };
}

describe('no secret leaks from a misbehaving token endpoint', () => {
  let endpoint: { server: RecordingServer; queue: Answer[] };
  let api: RecordingServer;
  let leaks: LeakHarness;

  beforeEach(async () => {
    endpoint = await startEchoingTokenEndpoint();
    api = await startEchoApi();
    leaks = new LeakHarness();
    leaks.addSecrets(CLIENT_SECRET, PASSWORD);
  });
  afterEach(async () => {
    await leaks.close();
    await api.close();
    await endpoint.server.close();
  });

  const clientOptions = (kind: 'client-credentials' | 'password'): ForgeClientOptions => {
    const common = { tokenUrl: `${endpoint.server.url}/token`, timeout: 300 };
    return {
      baseUrl: api.url,
      storage: 'memory',
      // Every call must reach the endpoint here; the backoff's own refusals repeat the last
      // failure (test/tokens/failure-backoff.spec.ts checks them for secrets).
      failureBackoff: { initial: 0, max: 0 },
      auth:
        kind === 'client-credentials'
          ? { type: kind, ...common, clientId: 'cc', clientSecret: CLIENT_SECRET }
          : {
              type: kind,
              ...common,
              clientId: 'pw',
              clientSecret: CLIENT_SECRET,
              username: 'bob',
              password: PASSWORD,
            },
    };
  };

  it.each(['client-credentials', 'password'] as const)(
    '%s: 400/401 echoing the request, 5xx, HTML and broken JSON on 200, no answer',
    async (kind) => {
      const client = await leaks.client(`leak-te-${kind}`, clientOptions(kind));
      const call = () => leaks.failure(client, { method: 'GET', url: '/ok' });
      const { queue } = endpoint;

      queue.push((request, res) =>
        send(400, {
          error: 'invalid_client',
          error_description: `refused ${request.body}`,
          received: request.body,
        })(request, res),
      );
      expect(await call()).toMatchObject({ error: 'invalid_client', status: 400 });

      queue.push((request, res) =>
        send(401, { error: 'invalid_grant', error_description: `bad ${CLIENT_SECRET}` })(
          request,
          res,
        ),
      );
      expect(await call()).toMatchObject({ status: 401 });

      const serverError: Answer = (request, res) =>
        send(500, { error: 'server_error', error_description: `db down for ${request.body}` })(
          request,
          res,
        );
      const htmlError: Answer = (request, res) =>
        send(502, `<html><pre>${request.body}</pre></html>`, 'text/html')(request, res);
      queue.push(serverError, htmlError, serverError);
      expect(await call()).toMatchObject({ name: 'AuthenticationException', status: 500 });
      expect(endpoint.server.requests).toHaveLength(5);

      queue.push(send(200, `{"access_token": "${PASSWORD}`));
      await call();
      queue.push(send(200, `<html>password=${PASSWORD}</html>`, 'text/html'));
      await call();
      const silent: Answer = () => undefined;
      queue.push(silent, silent, silent);
      const timedOut = await call();
      expect(timedOut.message).toContain('no answer within 300 ms');

      // Control: the endpoint received the secrets that its answers echoed.
      const bodies = endpoint.server.requests.map((r) => new URLSearchParams(r.body));
      expect(bodies[0].get('client_secret')).toBe(CLIENT_SECRET);
      if (kind === 'password') expect(bodies[0].get('password')).toBe(PASSWORD);
      expect(endpoint.server.requests).toHaveLength(10);
      expect(api.requests).toHaveLength(0);
      leaks.expectDetects(CLIENT_SECRET);
      leaks.expectClean();
    },
    30_000,
  );

  it('no secret leaks from the background refresh warning', async () => {
    const options = clientOptions('client-credentials');
    // A 2 s token: half its lifetime is the skew, so after 1 s calls refresh it in the background.
    endpoint.queue.push(
      send(200, { access_token: 'short-lived-token-1a2b', token_type: 'Bearer', expires_in: 2 }),
    );
    const client = await leaks.client('leak-bg', { ...options, refreshSkew: 60_000 });
    const get = () =>
      new Promise<void>((resolve, reject) =>
        client.get('/ok').subscribe({ complete: resolve, error: reject }),
      );
    await get();
    await new Promise((r) => setTimeout(r, 1_100));
    const refused: Answer = (request, res) =>
      send(400, { error: 'invalid_client', error_description: `no: ${request.body}` })(
        request,
        res,
      );
    endpoint.queue.push(refused);
    await get();
    await new Promise((r) => setTimeout(r, 200));
    leaks.addSecrets('short-lived-token-1a2b');

    // Control: the warning was logged and the refresh carried the secret.
    expect(leaks.logs.text).toMatch(/Background token refresh for "leak-bg" failed/);
    expect(endpoint.server.requests[1].body).toContain('client_secret=');
    expect(bearerOf(api.requests[1])).toBe('short-lived-token-1a2b');
    leaks.expectClean();
  });
});

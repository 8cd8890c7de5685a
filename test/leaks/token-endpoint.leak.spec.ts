import { ForgeClientOptions } from '../../lib';
import { RecordingServer } from '../support/recording-server';
import { bearerOf, startEchoApi } from './echo-api';
import {
  Answer,
  EchoingTokenEndpoint,
  echoIn500,
  echoInHtml502,
  respond as send,
  startEchoingTokenEndpoint,
} from './echoing-token-endpoint';
import { LeakHarness } from './leak-harness';

const CLIENT_SECRET = 'scripted-client-s3cret-77';
const PASSWORD = 'scripted-user-passw0rd-88';

describe('no secret leaks from a misbehaving token endpoint', () => {
  let endpoint: EchoingTokenEndpoint;
  let api: RecordingServer;
  let leaks: LeakHarness;

  beforeEach(async () => {
    endpoint = await startEchoingTokenEndpoint('te-token');
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

      queue.push(echoIn500, echoInHtml502, echoIn500);
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

  it('secrets with characters a form or base64 encodes: echoed as sent, in errors, logs and health()', async () => {
    const secret = 'Sup3r$ecret+/=&% é-client';
    const password = 'P@ss w0rd+é-user';
    const pair = `cc:${new URLSearchParams([['', secret]]).toString().slice(1)}`;
    const basic = Buffer.from(pair).toString('base64');
    // How the server saw them: form-encoded in the body, base64 in the Basic header.
    leaks.addSecrets(secret, password, basic, encodeURIComponent(secret));
    for (const value of [secret, password]) {
      leaks.addSecrets(new URLSearchParams([['', value]]).toString().slice(1));
    }
    const common = { tokenUrl: `${endpoint.server.url}/token`, clientId: 'cc' };
    const viaBody = await leaks.client('leak-te-form', {
      ...clientOptions('password'),
      auth: { type: 'password', ...common, clientSecret: secret, username: 'bob', password },
    });
    const viaHeader = await leaks.client('leak-te-basic', {
      ...clientOptions('client-credentials'),
      auth: { type: 'client-credentials', ...common, clientSecret: secret, authMethod: 'header' },
    });
    endpoint.queue.push(
      (request, res) =>
        send(401, { error: 'invalid_client', error_description: `got ${request.body}` })(
          request,
          res,
        ),
      (request, res) =>
        send(401, {
          error: 'invalid_client',
          error_description: `got ${request.headers.authorization?.slice('Basic '.length)}`,
        })(request, res),
    );
    expect(await leaks.failure(viaBody, { url: '/ok' })).toMatchObject({ status: 401 });
    expect(await leaks.failure(viaHeader, { url: '/ok' })).toMatchObject({ status: 401 });
    leaks.recordHealth();

    // Control: the endpoint got them in exactly the forms the harness looks for.
    const [form, header] = endpoint.server.requests;
    expect(form.body).toContain(new URLSearchParams([['', password]]).toString().slice(1));
    expect(header.headers.authorization).toBe(`Basic ${basic}`);
    leaks.expectDetects(basic);
    leaks.expectClean();
  });

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

import { AxiosResponse } from 'axios';
import { lastValueFrom } from 'rxjs';
import {
  correlationIdHook,
  ForgeClient,
  HookContext,
  HttpClientConfigBuilder,
  HttpStatusException,
  TokenManager,
} from '../../lib';
import { createTokenProvider } from '../../lib/tokens/token-provider.factory';
import { OidcTestServer } from '../support/oidc-server';
import { json, RecordingServer } from '../support/recording-server';

/** Issue 7, must-show 1 and 2 with an auth retry: 401 → new token → 200. */
describe('hooks across an auth retry', () => {
  let oidc: OidcTestServer;
  let api: RecordingServer;
  const refused = new Set<string>();

  beforeAll(async () => {
    oidc = await OidcTestServer.start();
  });
  afterAll(async () => {
    await oidc.close();
  });
  beforeEach(async () => {
    refused.clear();
    // Accepts any bearer token except the ones the test has refused (RFC 6750 §3 on refusal).
    api = await RecordingServer.start((req, res) => {
      const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!token || refused.has(token)) {
        return json(
          res,
          401,
          { error: 'invalid_token' },
          {
            'www-authenticate': 'Bearer error="invalid_token"',
          },
        );
      }
      json(res, 200, { ok: true });
    });
  });
  afterEach(async () => {
    await api.close();
  });

  it('runs the hooks once per attempt: authAttempt 0 then 1, one request id and correlation id', async () => {
    const seen: { hook: string; context: HookContext; status?: number }[] = [];
    const manager = new TokenManager(createTokenProvider('orders', oidc.clientCredentialsAuth()));
    const client = new ForgeClient(
      new HttpClientConfigBuilder()
        .withBaseUrl(api.url)
        .withTokenAuth(manager)
        .withHooks(correlationIdHook())
        .withHooks({
          beforeRequest: [(_config, context) => void seen.push({ hook: 'before', context })],
          afterResponse: [
            (response: AxiosResponse, context) =>
              void seen.push({ hook: 'after', context, status: response.status }),
          ],
          onError: [
            (error, context) =>
              void seen.push({
                hook: 'error',
                context,
                status: error instanceof HttpStatusException ? error.status : undefined,
              }),
          ],
        })
        .build(),
      undefined,
      'orders',
    );

    await lastValueFrom(client.get('/first'));
    const firstToken = (await manager.getToken()).accessToken;
    refused.add(firstToken);
    seen.length = 0;
    const response = await lastValueFrom(client.get('/orders'));

    expect(response.status).toBe(200);
    expect(seen.map((s) => [s.hook, s.context.attempt, s.context.authAttempt, s.status])).toEqual([
      ['before', 1, 0, undefined],
      ['error', 1, 0, 401],
      ['before', 2, 1, undefined],
      ['after', 2, 1, 200],
    ]);
    expect(new Set(seen.map((s) => s.context.requestId)).size).toBe(1);

    const [, refusedAttempt, retried] = api.requests;
    const tokenOf = (r: (typeof api.requests)[number]) =>
      String(r.headers.authorization).replace(/^Bearer /, '');
    // Control: the retry really carried a new token, after the first was refused.
    expect(tokenOf(refusedAttempt)).toBe(firstToken);
    expect(tokenOf(retried)).not.toBe(firstToken);
    expect(api.requests.map((r) => r.path)).toEqual(['/first', '/orders', '/orders']);
    const correlation = api.requests.map((r) => r.headers['x-correlation-id']);
    expect(correlation[1]).toEqual(expect.any(String));
    expect(correlation[2]).toBe(correlation[1]);
    expect(correlation[0]).not.toBe(correlation[1]);
  });
});

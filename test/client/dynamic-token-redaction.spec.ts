import { lastValueFrom } from 'rxjs';
import {
  ClientCredentialsTokenProvider,
  ForgeClient,
  HttpClientConfigBuilder,
  HttpStatusException,
  TokenManager,
} from '../../lib';
import { FakeTokenEndpoint } from '../../lib/testing';
import { useLogCapture } from '../support/log-capture';
import { json, RecordingServer } from '../support/recording-server';
import { expectNoSecrets, renderings } from '../support/secrets';

describe('the token a request carried is scrubbed from what the API echoed', () => {
  let tokens: FakeTokenEndpoint;
  let api: RecordingServer;
  const logs = useLogCapture();

  beforeEach(async () => {
    tokens = await FakeTokenEndpoint.start({ clients: { 'echo-client': 'echo-client-secret' } });
    // Echoes the bare token under a key no redactor knows, as careless APIs do.
    api = await RecordingServer.start((req, res) => {
      const presented = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      json(res, req.url === '/ok' ? 200 : 500, { presented, note: 'kept' });
    });
  });
  afterEach(async () => {
    await api.close();
    await tokens.close();
  });

  const echoTokenManager = () =>
    new TokenManager(
      new ClientCredentialsTokenProvider({
        tokenUrl: tokens.tokenUrl,
        clientId: 'echo-client',
        clientSecret: 'echo-client-secret',
        serviceName: 'echo',
      }),
    );

  it('in HttpStatusException.response.data and in the logged response bodies', async () => {
    const manager = echoTokenManager();
    const client = new ForgeClient(
      new HttpClientConfigBuilder()
        .withBaseUrl(api.url)
        .withTokenAuth(manager)
        .withLogging({ logBody: true })
        .build(),
    );
    await lastValueFrom(client.get('/ok'));
    const error = await lastValueFrom(client.get('/fail')).catch((e: unknown) => e);

    const token = (await manager.getToken()).accessToken;
    // Control: the API got this token and echoed it.
    expect(api.requests.map((r) => r.headers.authorization)).toEqual([
      `Bearer ${token}`,
      `Bearer ${token}`,
    ]);
    expect(error).toBeInstanceOf(HttpStatusException);
    expect((error as HttpStatusException).response.data).toEqual({
      presented: '***',
      note: 'kept',
    });
    expect(logs.text).toContain('"presented":"***"');
    expectNoSecrets([...renderings(error), logs.text], [token]);
  });

  it('in the warning about a hook that failed with the token in its message', async () => {
    const manager = echoTokenManager();
    const client = new ForgeClient(
      new HttpClientConfigBuilder()
        .withBaseUrl(api.url)
        .withTokenAuth(manager)
        .withHooks({
          afterResponse: [
            (response) => {
              throw new Error(`audit failed for ${String(response.data.presented)}`);
            },
          ],
        })
        .build(),
    );
    // The response data a hook sees is the API's, unredacted: the hook may need it.
    await lastValueFrom(client.get('/ok'));

    const token = (await manager.getToken()).accessToken;
    expect(api.requests[0].headers.authorization).toBe(`Bearer ${token}`);
    expect(logs.text).toMatch(/afterResponse hook #1 failed .*audit failed for \*\*\*/);
    expectNoSecrets(logs.text, [token]);
  });
});

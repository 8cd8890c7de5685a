import { lastValueFrom } from 'rxjs';
import {
  AuthenticationException,
  ForgeClient,
  HttpStatusException,
  TokenData,
  TokenManager,
  TokenProvider,
} from '../../lib';
import { json, RecordingServer } from '../support/recording-server';
import { closeClients, onTransport, TRANSPORTS } from '../support/transports';

/** A custom provider that issues numbered tokens and counts them. */
class CountingProvider implements TokenProvider {
  readonly serviceName = 'unsent';
  issued = 0;
  async fetchToken(): Promise<TokenData> {
    this.issued += 1;
    return new TokenData({ accessToken: `unsent-token-${this.issued}` });
  }
}

describe.each(TRANSPORTS)(
  'a 401 that no token caused is not an auth failure (%s transport)',
  (transport) => {
    const { builder, forge } = onTransport(transport);
    afterEach(closeClients);
    let server: RecordingServer;
    let provider: CountingProvider;
    let client: ForgeClient;

    beforeEach(async () => {
      server = await RecordingServer.start((_req, res) => json(res, 401, { error: 'login first' }));
      provider = new CountingProvider();
      client = forge(
        builder()
          .withBaseUrl(server.url)
          .withTokenAuth(new TokenManager(provider), { excludedPaths: ['/public'] })
          .build(),
      );
    });
    afterEach(() => server.close());

    it('on an excluded path: sent once, no token fetched, the 401 comes back as it is', async () => {
      const error = await lastValueFrom(client.get('/public')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpStatusException);
      expect((error as HttpStatusException).status).toBe(401);
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0].headers.authorization).toBeUndefined();
      expect(provider.issued).toBe(0);
    });

    it('control: a refused token is retried with a new one, then an AuthenticationException', async () => {
      const error = await lastValueFrom(client.get('/private')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationException);
      // Says what happened without claiming the token was new: a peer's may have replaced it.
      expect((error as Error).message).toBe(
        `GET ${server.url}/private was refused with 401 after 2 attempt(s), ` +
          'the token replaced before each retry',
      );
      expect(server.requests.map((r) => r.headers.authorization)).toEqual([
        'Bearer unsent-token-1',
        'Bearer unsent-token-2',
      ]);
    });
  },
);

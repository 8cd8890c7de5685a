import {
  AuthenticationException,
  ClientCredentialsTokenProvider,
  InMemoryTokenStorage,
  TokenManager,
} from '../../lib';
import { BodyFaults, waitFor } from '../support/body-faults';
import { useLogCapture } from '../support/log-capture';
import { ScriptedServer, sleep } from '../support/scripted-server';
import { expectSecretsAbsent } from '../support/secrets';

const SECRET = 'transport-client-s3cret';

const tokenReply = (accessToken: string) => ({
  status: 200,
  body: { access_token: accessToken, token_type: 'Bearer', expires_in: 3600 },
});

describe('token endpoint transport limits', () => {
  let server: ScriptedServer;
  let faults: BodyFaults;
  const logs = useLogCapture();

  beforeEach(async () => {
    server = await ScriptedServer.start();
    faults = new BodyFaults();
  });
  afterEach(async () => {
    faults.dispose();
    await server.close();
  });

  const provider = (overrides: { timeout?: number; maxTokenResponseBytes?: number } = {}) =>
    new ClientCredentialsTokenProvider({
      tokenUrl: server.url('/token'),
      clientId: 'transport-client',
      clientSecret: SECRET,
      serviceName: 'trickled',
      ...overrides,
    });

  it('settles 20 concurrent getToken() callers within the worst case when the body trickles, and recovers', async () => {
    server.otherwise(faults.trickle(50));
    const tokens = provider({ timeout: 500 });
    const manager = new TokenManager(tokens, new InMemoryTokenStorage());
    const worstCase = tokens.fetchTimeoutMs;

    const started = Date.now();
    const settled = await Promise.all(
      Array.from({ length: 20 }, () =>
        manager.getToken().then(
          () => undefined,
          (error: unknown) => ({ error, after: Date.now() - started }),
        ),
      ),
    );
    for (const outcome of settled) {
      expect(outcome?.error).toBeInstanceOf(AuthenticationException);
      expect((outcome?.error as Error).message).toMatch(/no answer within 500 ms/);
      expect(outcome?.after).toBeLessThanOrEqual(worstCase + 500);
    }
    // One fetch for all callers, each of its three attempts cut off at its timeout.
    expect(server.requests).toHaveLength(3);
    await waitFor(() => faults.outcomes.every((body) => body.cutOff));
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 500);
    expectSecretsAbsent(settled[0]?.error, [SECRET], logs);

    server.otherwise(tokenReply('recovered-token'));
    // Past the manager's failure backoff (1 s at first), the endpoint is asked again.
    await sleep(1_100);
    await expect(manager.getToken()).resolves.toMatchObject({ accessToken: 'recovered-token' });
  });

  it('refuses a 50 MB token response without reading it, storing nothing and never retrying', async () => {
    const total = 50 * 1024 * 1024;
    server.reply(faults.hugeToken(total)).otherwise(tokenReply('small-token'));
    const storage = new InMemoryTokenStorage();
    const manager = new TokenManager(provider(), storage);

    const error = await manager.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationException);
    expect(error).toMatchObject({ serviceName: 'trickled' });
    expect((error as Error).message).toMatch(/over 65536 bytes/);
    expect(server.requests).toHaveLength(1);
    expect(await storage.get(manager.storageKey)).toBeUndefined();

    // The client hung up: the server never got to write the whole body.
    await waitFor(() => faults.outcomes[0].cutOff);
    expect(faults.outcomes[0].bytesWritten).toBeLessThan(total / 2);
    expectSecretsAbsent(error, [SECRET, 'padded-token'], logs);
  });

  it('takes a token response up to maxTokenResponseBytes and refuses one byte more', async () => {
    const limit = 4_096;
    server.reply(faults.hugeToken(limit, 'fits-token'), faults.hugeToken(limit + 1));
    const tokens = provider({ maxTokenResponseBytes: limit });
    await expect(tokens.fetchToken()).resolves.toMatchObject({ accessToken: 'fits-token' });
    await expect(tokens.fetchToken()).rejects.toThrow(/over 4096 bytes/);
  });

  it.each([0, -1, 1.5, '65536'])('rejects maxTokenResponseBytes %p at construction', (value) => {
    expect(() => provider({ maxTokenResponseBytes: value as number })).toThrow(
      /maxTokenResponseBytes must be a positive whole number of bytes/,
    );
  });
});

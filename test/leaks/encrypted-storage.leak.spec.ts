import { createKeyv } from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { randomBytes } from 'node:crypto';
import { lastValueFrom } from 'rxjs';
import { ForgeClientOptions } from '../../lib';
import { ALICE, PASSWORD_CLIENT, PasswordGrantTestServer } from '../support/password-grant-server';
import { RecordingServer } from '../support/recording-server';
import { describeRedis, redisUrl, uniqueKeyPrefix } from '../support/redis';
import { deleteKeysUnder, keysUnder, withRedisClient } from '../support/redis-keys';
import { expectNoSecrets, renderings } from '../support/secrets';
import { bearerOf, startEchoApi } from './echo-api';
import { LeakHarness } from './leak-harness';

describeRedis('no secret leaks with tokens encrypted at rest on Redis (issue 18)', () => {
  let authServer: PasswordGrantTestServer;
  let api: RecordingServer;
  let leaks: LeakHarness;
  let namespace: string;
  const key = randomBytes(32);
  /** Every form the key may take in config: none may ever be shown. */
  const keyForms = [key.toString('base64'), key.toString('base64url'), key.toString('hex')];

  beforeEach(async () => {
    authServer = await PasswordGrantTestServer.start();
    api = await startEchoApi();
    namespace = uniqueKeyPrefix('encrypted-leaks');
    issued.clear();
    leaks = new LeakHarness();
    leaks.addSecrets(PASSWORD_CLIENT.clientSecret, ALICE.password, ...keyForms);
  });
  afterEach(async () => {
    await leaks.close();
    await api.close();
    await authServer.close();
    await deleteKeysUnder(namespace);
  });

  const sharedCache = () =>
    CacheModule.register({ isGlobal: true, stores: [createKeyv(redisUrl(), { namespace })] });

  function encryptedClient(keys: Record<string, string>): ForgeClientOptions {
    return {
      baseUrl: api.url,
      auth: {
        type: 'password',
        tokenUrl: authServer.tokenUrl,
        clientId: PASSWORD_CLIENT.clientId,
        clientSecret: PASSWORD_CLIENT.clientSecret,
        username: ALICE.username,
        password: ALICE.password,
        scope: 'orders:read',
      },
      storage: { type: 'cache', encryption: { keys, activeKid: 'k1' } },
      timeout: 300,
      retry: { type: 'exponential', maxRetries: 2, baseDelay: 10, maxDelay: 20, jitter: false },
    };
  }

  /** What anyone reading the cache sees: every value under the namespace, locks included. */
  const rawCache = () =>
    withRedisClient(async (client) =>
      Promise.all((await keysUnder(namespace)).map(async (k) => (await client.get(k)) ?? '')),
    );

  /** Access and refresh tokens the servers issued so far (a used refresh token is dropped: call often). */
  const issued = new Set<string>();
  function issuedTokens(): string[] {
    for (const request of api.requests) if (bearerOf(request)) issued.add(bearerOf(request)!);
    for (const token of authServer.stores.refreshTokens.keys()) issued.add(token);
    for (const token of authServer.stores.accessTokens.keys()) issued.add(token);
    return [...issued];
  }

  it('through API 200, 401 (refresh, then retries exhausted), 403, 500 and timeout: logs, errors and the raw cache', async () => {
    leaks.expectAllLevelsCaptured();
    const client = await leaks.client(
      'leak-encrypted',
      encryptedClient({ k1: key.toString('base64') }),
      [sharedCache()],
    );
    await lastValueFrom(client.get('/ok'));
    issuedTokens();
    const raw = await rawCache();
    const exhausted = await leaks.failure(client, { method: 'GET', url: '/401' });
    expect(exhausted.name).toBe('AuthenticationException');
    issuedTokens();
    raw.push(...(await rawCache()));
    for (const path of ['/403', '/500', '/slow']) {
      await leaks.failure(client, { method: 'GET', url: path });
      issuedTokens();
    }
    raw.push(...(await rawCache()));
    const tokens = issuedTokens();
    leaks.addSecrets(...tokens);

    // Control: tokens were issued and renewed with a refresh token, and they did reach the cache.
    expect(authServer.grantCounts.refresh_token).toBeGreaterThanOrEqual(1);
    expect(tokens.length).toBeGreaterThanOrEqual(4);
    expect(raw.join('\n')).toMatch(/"accessToken":"v1\.k1\./);
    expectNoSecrets(raw, [
      ...tokens,
      ...keyForms,
      PASSWORD_CLIENT.clientSecret,
      ALICE.password,
      'orders:read',
    ]);
    expect(raw.join('\n')).not.toMatch(/refreshToken|"scope"|"extra"/);
    leaks.expectHeadersAndBodiesLogged();
    leaks.expectDetects(tokens[0]);
    leaks.expectClean();
  });

  it('through a bad key at bootstrap and a rotation mistake: neither a key nor a stored value is shown', async () => {
    const shortKey = randomBytes(24).toString('base64');
    leaks.addSecrets(shortKey);
    const refused = await leaks
      .client('leak-encrypted', encryptedClient({ k1: shortKey }), [sharedCache()])
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refused).toMatchObject({
      name: 'ConfigurationException',
      message:
        'Client "leak-encrypted": storage.encryption.keys.k1 must be 32 bytes (base64 or hex)',
    });
    expectNoSecrets(renderings(refused), [shortKey, ...keyForms]);

    // One instance writes with the key; another has a different key under the same kid.
    const writer = await leaks.client(
      'leak-encrypted',
      encryptedClient({ k1: key.toString('hex') }),
      [sharedCache()],
    );
    await lastValueFrom(writer.get('/ok'));
    const sealed = (await rawCache()).join('\n');
    const otherKey = randomBytes(32).toString('base64');
    leaks.addSecrets(otherKey, /"accessToken":"(v1\.[^"]+)"/.exec(sealed)?.[1]);
    const reader = await leaks.client('leak-encrypted', encryptedClient({ k1: otherKey }), [
      sharedCache(),
    ]);
    await lastValueFrom(reader.get('/ok'));
    leaks.addSecrets(...issuedTokens());

    // Control: the reader could not decrypt, said so once, and got its own token.
    expect(leaks.logs.text).toMatch(/Ignored the stored token for "[^"]+": it does not decrypt/);
    expect(authServer.grantCounts.password).toBe(2);
    expect(leaks.secretCount).toBeGreaterThanOrEqual(9);
    leaks.expectClean();
  });
});

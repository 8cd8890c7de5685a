import { Test, TestingModule } from '@nestjs/testing';
import { lastValueFrom } from 'rxjs';
import {
  AuthenticationException,
  ClientCredentialsTokenProvider,
  ForgeClient,
  ForgeClientOptions,
  getForgeClientToken,
  getTokenManagerToken,
  InMemoryTokenStorage,
  RequestForgeModule,
  TokenData,
  TokenManager,
  TokenStorage,
} from '../../lib';
import { LogCapture } from '../support/log-capture';
import { RecordingServer } from '../support/recording-server';
import { describeRedis, redisUrl, uniqueKeyPrefix } from '../support/redis';
import { deleteKeysUnder } from '../support/redis-keys';

/**
 * A token endpoint that takes requests and never answers: each token request would run for its
 * timeout (5 s) times three attempts if shutdown did not stop it.
 */
async function silentTokenEndpoint(): Promise<RecordingServer> {
  return RecordingServer.start(() => undefined);
}

async function startApp(
  tokenEndpoint: RecordingServer,
  extra: Partial<ForgeClientOptions> = {},
): Promise<{ moduleRef: TestingModule; logs: LogCapture }> {
  const logs = LogCapture.install();
  const moduleRef = await Test.createTestingModule({
    imports: [
      RequestForgeModule.forRoot({
        clients: {
          orders: {
            baseUrl: 'http://127.0.0.1:9/api',
            auth: {
              type: 'client-credentials',
              tokenUrl: `${tokenEndpoint.url}/token`,
              clientId: 'orders',
              clientSecret: 'orders-s3cret',
              timeout: 5_000,
            },
            ...extra,
          },
        },
      }),
    ],
  })
    .setLogger(logs)
    .compile();
  await moduleRef.init();
  return { moduleRef, logs };
}

/** Warnings and errors logged since `from`. */
function complaintsAfter(logs: LogCapture, from: number): string[] {
  return logs.lines
    .slice(from)
    .filter((line) => line.level === 'warn' || line.level === 'error')
    .map((line) => line.message);
}

/**
 * Starts `count` calls, closes the app once the token endpoint has the first token request, and
 * checks that every call failed at once; returns how many lines were logged before the close.
 */
async function closeDuringFetch(
  moduleRef: TestingModule,
  endpoint: RecordingServer,
  logs: LogCapture,
  count: number,
): Promise<number> {
  const client = moduleRef.get<ForgeClient>(getForgeClientToken('orders'));
  const settled = settleAll(Array.from({ length: count }, () => lastValueFrom(client.get('/x'))));
  await endpoint.waitForRequests(1);
  const closedAt = Date.now();
  const logged = logs.lines.length;
  await moduleRef.close();
  for (const { error, at } of await settled) {
    expect(error).toBeInstanceOf(AuthenticationException);
    expect((error as Error).message).toMatch(/shutting down/);
    expect(at - closedAt).toBeLessThan(1_000);
  }
  return logged;
}

/** Settles every call, recording how long each took. */
function settleAll(calls: Promise<unknown>[]): Promise<{ error: unknown; at: number }[]> {
  return Promise.all(
    calls.map((call) =>
      call.then(
        () => ({ error: undefined, at: Date.now() }),
        (error: unknown) => ({ error, at: Date.now() }),
      ),
    ),
  );
}

describe('closing the app while a token fetch is under way', () => {
  let endpoint: RecordingServer;

  beforeEach(async () => {
    endpoint = await silentTokenEndpoint();
  });
  afterEach(async () => {
    await endpoint.close();
    LogCapture.uninstall();
  });

  it('rejects every waiting call at once, aborts the token request and sends no retry', async () => {
    const { moduleRef, logs } = await startApp(endpoint);
    const logged = await closeDuringFetch(moduleRef, endpoint, logs, 5);

    // The request under way was cancelled, not left to its 5 s timeout.
    await endpoint.waitForAbort(1, 2_000);
    // A retry would have followed within its backoff (at most 5 s after a 5 s timeout); give the
    // first retry's backoff time to pass, and see none.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(endpoint.requests).toHaveLength(1);
    expect(complaintsAfter(logs, logged)).toEqual([]);
  });

  it('stops a pipeline step under way the same way', async () => {
    const { moduleRef, logs } = await startApp(endpoint, {
      auth: {
        type: 'pipeline',
        steps: [
          { name: 'login', baseUrl: endpoint.url, endpoint: '/login', timeout: 5_000 },
          {
            name: 'session',
            baseUrl: endpoint.url,
            endpoint: '/session',
            dependsOn: ['login'],
            requestHeaders: { Authorization: 'Bearer {{login}}' },
            timeout: 5_000,
          },
        ],
      },
    });
    const logged = await closeDuringFetch(moduleRef, endpoint, logs, 3);
    await endpoint.waitForAbort(1, 2_000);
    expect(endpoint.requests.map((r) => r.path)).toEqual(['/login']);
    expect(complaintsAfter(logs, logged)).toEqual([]);
  });

  it('stops a TokenManager built in code: its OAuth2 provider and a custom provider hear of it', async () => {
    const provider = new ClientCredentialsTokenProvider({
      tokenUrl: `${endpoint.url}/token`,
      clientId: 'orders',
      clientSecret: 'orders-s3cret',
      serviceName: 'orders',
      timeout: 5_000,
    });
    const { moduleRef, logs } = await startApp(endpoint, { auth: new TokenManager(provider) });
    const logged = await closeDuringFetch(moduleRef, endpoint, logs, 3);
    await endpoint.waitForAbort(1, 2_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(endpoint.requests).toHaveLength(1);
    expect(complaintsAfter(logs, logged)).toEqual([]);

    let stopped = 0;
    const custom = {
      serviceName: 'custom',
      fetchToken: () => new Promise<TokenData>(() => undefined),
      onModuleDestroy: () => void (stopped += 1),
    };
    const second = await startApp(endpoint, { auth: new TokenManager(custom) });
    await second.moduleRef.close();
    expect(stopped).toBe(1);
  });

  it('reads no storage after close: a closed Redis store would reconnect', async () => {
    const reads: string[] = [];
    const storage = new InMemoryTokenStorage();
    const counting: TokenStorage = {
      get: (key) => (reads.push(key), storage.get(key)),
      set: (key, token, ttl) => storage.set(key, token, ttl),
      delete: (key) => storage.delete(key),
    };
    const manager = new TokenManager(
      { serviceName: 'closed', fetchToken: async () => new TokenData({ accessToken: 'never' }) },
      counting,
    );
    await manager.onModuleDestroy();
    await expect(manager.getToken()).rejects.toThrow(/shutting down/);
    expect(reads).toEqual([]);
  });

  it('starts no token fetch after close', async () => {
    const { moduleRef } = await startApp(endpoint);
    const manager = moduleRef.get<TokenManager>(getTokenManagerToken('orders'));
    const first = manager.getToken().catch((error: unknown) => error);
    await endpoint.waitForRequests(1);
    await moduleRef.close();

    expect(await first).toBeInstanceOf(AuthenticationException);
    await expect(manager.getToken()).rejects.toThrow(/shutting down/);
    expect(endpoint.requests).toHaveLength(1);
  });
});

describeRedis('closing the app while a token fetch holds the Redis lock', () => {
  let endpoint: RecordingServer;
  const prefix = uniqueKeyPrefix('shutdown-lock');

  beforeEach(async () => {
    endpoint = await silentTokenEndpoint();
  });
  afterEach(async () => {
    await endpoint.close();
    LogCapture.uninstall();
  });
  afterAll(() => deleteKeysUnder(prefix));

  it('rejects the waiting calls at once and reports no Redis outage', async () => {
    const { moduleRef, logs } = await startApp(endpoint, {
      storage: 'memory',
      lock: { type: 'redis', url: redisUrl(), keyPrefix: `${prefix}:lock:` },
    });
    const logged = await closeDuringFetch(moduleRef, endpoint, logs, 3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(endpoint.requests).toHaveLength(1);
    expect(complaintsAfter(logs, logged)).toEqual([]);
  });
});

import {
  InMemoryTokenStorage,
  PipelineTokenProvider,
  TokenFetchPipeline,
  TokenLock,
  TokenManager,
  TokenStorage,
} from '../../lib';
import { useLogCapture } from '../support/log-capture';
import { SharedTestLock } from '../support/shared-test-lock';
import { twoStepPipeline } from './two-step-config';
import { startTokenServers, TokenServers } from '../support/pipeline-token-servers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The client's side: a TokenManager keeps the final token, the pipeline the steps before it. */
function managerOver(pipeline: TokenFetchPipeline, storage?: TokenStorage, lock?: TokenLock) {
  const provider = new PipelineTokenProvider(pipeline, { serviceName: 'crm' });
  return new TokenManager(provider, storage, { refreshSkew: 0, ...(lock ? { lock } : {}) });
}

describe('TokenFetchPipeline caching', () => {
  let servers: TokenServers;
  const logs = useLogCapture();

  afterEach(() => servers.close());

  it('fetches each step once while cached, and only the expired step after that', async () => {
    servers = await startTokenServers();
    // App token 1 h and user token 30 min, scaled down: 1.5 s and 1 s.
    const manager = managerOver(twoStepPipeline(servers, { appTtl: 1500, userTtl: 1000 }));

    const first = await manager.getToken();
    for (let i = 0; i < 5; i++) expect((await manager.getToken()).sameTokenAs(first)).toBe(true);
    expect(servers.counts).toMatchObject({ app: 1, user: 1 });

    await sleep(1100); // the user token has expired, the app token has not
    const second = await manager.getToken();
    expect(second.sameTokenAs(first)).toBe(false);
    expect(servers.counts).toMatchObject({ app: 1, user: 2 });
    expect(servers.userAuthorizations[1]).toBe(servers.userAuthorizations[0]);

    await sleep(600); // now the app token has expired; the user token it made is still valid
    expect((await manager.getToken()).sameTokenAs(second)).toBe(true);
    expect(servers.counts).toMatchObject({ app: 1, user: 2 });
  });

  it('keeps a step for the shorter of its ttl and expires_in', async () => {
    servers = await startTokenServers({ appExpiresIn: 3600, userExpiresIn: 2 });
    const pipeline = twoStepPipeline(servers, { appTtl: 5000, userTtl: 60_000 });

    const user = await pipeline.run();

    const app = await pipeline.cachedToken('app_token');
    expect(app?.expiresInMs()).toBeGreaterThan(4000);
    expect(app?.expiresInMs()).toBeLessThanOrEqual(5000);
    expect(user.expiresInMs()).toBeGreaterThan(1000);
    expect(user.expiresInMs()).toBeLessThanOrEqual(2000);
  });

  it('makes one request per step for 200 concurrent getToken() calls on an empty cache', async () => {
    servers = await startTokenServers({ delayMs: 50 });
    const manager = managerOver(twoStepPipeline(servers));

    const tokens = await Promise.all(Array.from({ length: 200 }, () => manager.getToken()));

    expect(servers.counts).toMatchObject({ app: 1, user: 1 });
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
  });

  it('shares one fetch of each earlier step between concurrent runs; run() fetches the final step', async () => {
    servers = await startTokenServers({ delayMs: 50 });
    const pipeline = twoStepPipeline(servers);

    await Promise.all(Array.from({ length: 20 }, () => pipeline.run()));

    expect(servers.counts).toMatchObject({ app: 1, user: 20 });
  });

  it('makes one request per step for two processes sharing a storage and a lock', async () => {
    servers = await startTokenServers({ delayMs: 50 });
    // Two "processes": their own pipelines and managers, one shared storage (as Redis) and lock.
    const storage = new InMemoryTokenStorage();
    const lock = new SharedTestLock();
    const managers = [0, 1].map(() =>
      managerOver(twoStepPipeline(servers, {}, storage, lock), storage, lock),
    );

    const tokens = await Promise.all(
      Array.from({ length: 100 }, (_, i) => managers[i % 2].getToken()),
    );

    expect(servers.counts).toMatchObject({ app: 1, user: 1 });
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
  });

  it('drops a step and its dependents on invalidateStep, and keeps the others', async () => {
    servers = await startTokenServers();
    const storage = new InMemoryTokenStorage();
    const pipeline = twoStepPipeline(servers, {}, storage);
    await pipeline.run();
    expect(storage.size).toBe(1); // the app step; the final token is its TokenManager's

    expect(await pipeline.invalidateStep('user_token')).toEqual(['user_token']);
    await pipeline.run();
    expect(servers.counts).toMatchObject({ app: 1, user: 2 });

    expect(await pipeline.invalidateStep('app_token')).toEqual(['app_token', 'user_token']);
    await pipeline.run();
    expect(servers.counts).toMatchObject({ app: 2, user: 3 });
  });

  it('still returns tokens while its storage is down, keeping the app token in memory', async () => {
    servers = await startTokenServers();
    const down = (): Promise<never> => Promise.reject(new Error('ECONNREFUSED redis:6379'));
    const brokenStorage: TokenStorage = { get: down, set: down, delete: down };
    const pipeline = twoStepPipeline(servers, {}, brokenStorage);

    expect((await pipeline.run()).accessToken).toMatch(/^user-/);
    await pipeline.run();
    expect(servers.counts).toMatchObject({ app: 1, user: 2 });
    expect(logs.messages.filter((line) => line.includes('Token storage'))).toHaveLength(1);
  });

  it('does not cache a token whose fetch started before its step was invalidated', async () => {
    servers = await startTokenServers({ delayMs: 100 });
    const pipeline = twoStepPipeline(servers);

    const running = pipeline.run();
    await sleep(30);
    await pipeline.invalidateStep('app_token');
    await running;

    expect(await pipeline.cachedToken('app_token')).toBeUndefined();
    await pipeline.run();
    expect(servers.counts).toMatchObject({ app: 2, user: 2 });
  });
});

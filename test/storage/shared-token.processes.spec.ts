import { runInChildProcesses } from '../support/child-processes';
import { POST_CLIENT } from '../support/oidc-server';
import { describeRedis, redisUrl, uniqueKeyPrefix } from '../support/redis';
import { deleteKeysUnder } from '../support/redis-keys';
import { TranspiledChildren } from '../support/transpiled-children';
import type {
  ForgeClientWorkerInput,
  ForgeClientWorkerResult,
} from './workers/forge-client-worker';
import { useOidcAndApi } from '../support/oidc-and-api';

const PROCESSES = 4;
const REQUESTS_PER_PROCESS = 250;

describeRedis('one token for many processes: RequestForgeModule on shared Redis', () => {
  const servers = useOidcAndApi({ tokenTtlSeconds: 300 });
  let children: TranspiledChildren;
  const prefixes: string[] = [];

  beforeAll(async () => {
    children = TranspiledChildren.create(['lib', 'test/support', 'test/storage/workers']);
  });
  afterAll(async () => {
    await Promise.all(prefixes.map((prefix) => deleteKeysUnder(prefix)));
    children?.dispose();
  });

  /** A fresh, empty namespace (storage keys `<ns>::…`, lock keys `<ns>lock:…`). */
  function workerInput(withLock: boolean, requests: number): ForgeClientWorkerInput {
    const namespace = uniqueKeyPrefix('module-processes');
    prefixes.push(namespace);
    return {
      redisUrl: redisUrl(),
      namespace,
      ...(withLock ? { lockKeyPrefix: `${namespace}lock:` } : {}),
      tokenUrl: servers.oidc.tokenUrl,
      clientId: POST_CLIENT.clientId,
      clientSecret: POST_CLIENT.clientSecret,
      apiBaseUrl: servers.api.baseUrl,
      requests,
    };
  }

  const run = (inputs: ForgeClientWorkerInput[]) =>
    runInChildProcesses<ForgeClientWorkerInput, ForgeClientWorkerResult>(
      children.script('test/storage/workers/forge-client-worker.ts'),
      inputs,
      children.runOptions({ timeoutMs: 45_000 }),
    );
  const tokenRequests = async () => (await servers.oidc.stats()).tokenRequests;

  it(`${PROCESSES} processes × ${REQUESTS_PER_PROCESS} concurrent requests, empty cache, Redis storage + Redis lock → 1 token request`, async () => {
    const input = workerInput(true, REQUESTS_PER_PROCESS);
    // The token endpoint answers slowly, so every process is still waiting when it does.
    await servers.oidc.setFaults({ delayMs: 300 });

    const results = await run(Array.from({ length: PROCESSES }, () => input));

    expect(results.map((r) => r.errorNames)).toEqual(results.map(() => []));
    expect(results.map((r) => r.succeeded)).toEqual(results.map(() => REQUESTS_PER_PROCESS));
    expect(await tokenRequests()).toBe(1);
    expect(servers.api.requests).toHaveLength(PROCESSES * REQUESTS_PER_PROCESS);
    expect(servers.api.unauthorizedCount).toBe(0);
    expect(new Set(servers.api.requests.map((r) => r.token)).size).toBe(1);
  }, 60_000);

  it('control: the same run without the lock (its count is printed for the README)', async () => {
    const input = workerInput(false, REQUESTS_PER_PROCESS);
    await servers.oidc.setFaults({ delayMs: 300 });

    const results = await run(Array.from({ length: PROCESSES }, () => input));

    const count = await tokenRequests();
    console.log(`without lock: ${count} token requests for ${PROCESSES} processes`);
    expect(results.map((r) => r.failed)).toEqual(results.map(() => 0));
    expect(count).toBeGreaterThanOrEqual(1);
    expect(new Set(servers.api.requests.map((r) => r.token)).size).toBe(count);
  }, 60_000);

  it("process A fetches a token; process B's first request uses it (0 token requests from B)", async () => {
    const input = workerInput(true, 1);

    const [fromA] = await run([input]);
    const afterA = await tokenRequests();
    const tokenOfA = servers.api.requests[0]?.token;
    const [fromB] = await run([input]);

    expect([fromA.succeeded, fromB.succeeded]).toEqual([1, 1]);
    expect(afterA).toBe(1);
    expect((await tokenRequests()) - afterA).toBe(0);
    expect(servers.api.requests).toHaveLength(2);
    expect(tokenOfA).toBeDefined();
    expect(servers.api.requests[1].token).toBe(tokenOfA);
  }, 60_000);
});

import { randomBytes } from 'node:crypto';
import { runInChildProcesses } from '../support/child-processes';
import { POST_CLIENT } from '../support/oidc-server';
import { useOidcAndApi } from '../support/oidc-and-api';
import { describeRedis, redisUrl, uniqueKeyPrefix } from '../support/redis';
import { deleteKeysUnder, keysUnder, withRedisClient } from '../support/redis-keys';
import { TranspiledChildren } from '../support/transpiled-children';
import type {
  ForgeClientWorkerInput,
  ForgeClientWorkerResult,
} from './workers/forge-client-worker';

const PROCESSES = 4;
const REQUESTS_PER_PROCESS = 50;

describeRedis(
  'one encrypted token for many processes: storage.encryption on shared Redis (issue 18)',
  () => {
    const servers = useOidcAndApi({ tokenTtlSeconds: 300 });
    let children: TranspiledChildren;
    const namespaces: string[] = [];

    beforeAll(() => {
      children = TranspiledChildren.create(['lib', 'test/support', 'test/storage/workers']);
    });
    afterAll(async () => {
      await Promise.all(namespaces.map((namespace) => deleteKeysUnder(namespace)));
      children?.dispose();
    });

    function workerInput(
      encryption: ForgeClientWorkerInput['encryption'],
      requests: number,
      namespace = uniqueKeyPrefix('encrypted-processes'),
    ): ForgeClientWorkerInput {
      namespaces.push(namespace);
      return {
        redisUrl: redisUrl(),
        namespace,
        lockKeyPrefix: `${namespace}lock:`,
        encryption,
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
    /** Every value stored under the namespace, as Redis holds it. */
    const rawValues = (namespace: string) =>
      withRedisClient(async (client) => {
        const keys = (await keysUnder(namespace)).filter((key) => !key.includes('lock:'));
        return Promise.all(keys.map(async (key) => (await client.get(key)) ?? ''));
      });

    it(`${PROCESSES} processes share one encrypted token: 1 token request, nothing readable in Redis`, async () => {
      const keys = { k1: randomBytes(32).toString('base64') };
      const input = workerInput({ keys, activeKid: 'k1' }, REQUESTS_PER_PROCESS);
      await servers.oidc.setFaults({ delayMs: 300 });

      const results = await run(Array.from({ length: PROCESSES }, () => input));

      expect(results.map((r) => r.errorNames)).toEqual(results.map(() => []));
      expect(results.map((r) => r.succeeded)).toEqual(results.map(() => REQUESTS_PER_PROCESS));
      expect(await tokenRequests()).toBe(1);
      const used = new Set(servers.api.requests.map((r) => r.token));
      expect(used.size).toBe(1);
      expect(servers.api.unauthorizedCount).toBe(0);
      const [accessToken] = [...used];
      const values = await rawValues(input.namespace);
      expect(values).toHaveLength(1);
      expect(values[0]).toMatch(/"accessToken":"v1\.k1\./);
      expect(values[0]).not.toContain(accessToken);
      expect(values[0]).not.toContain(POST_CLIENT.scope);
    }, 60_000);

    it('a process with the wrong key under the same kid fetches its own token instead of failing', async () => {
      const namespace = uniqueKeyPrefix('encrypted-processes');
      const right = workerInput(
        { keys: { k1: randomBytes(32).toString('hex') }, activeKid: 'k1' },
        1,
        namespace,
      );
      const wrong = {
        ...right,
        encryption: { keys: { k1: randomBytes(32).toString('hex') }, activeKid: 'k1' },
      };

      const [first] = await run([right]);
      const [second] = await run([wrong]);

      expect([first.succeeded, second.succeeded]).toEqual([1, 1]);
      expect(await tokenRequests()).toBe(2);
      expect(servers.api.unauthorizedCount).toBe(0);
    }, 60_000);
  },
);

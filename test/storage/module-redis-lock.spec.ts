import { TestingModule } from '@nestjs/testing';
import { fork } from 'node:child_process';
import { lastValueFrom } from 'rxjs';
import { ForgeClient, ForgeClientOptions, getForgeClientToken, TokenLock } from '../../lib';
import { POST_CLIENT } from '../support/oidc-server';
import { describeRedis, redisUrl, uniqueKeyPrefix } from '../support/redis';
import { deleteKeysUnder, keysUnder } from '../support/redis-keys';
import { TranspiledChildren } from '../support/transpiled-children';
import type { LockShutdownInput } from './workers/lock-shutdown-worker';
import { useOidcAndApi } from '../support/oidc-and-api';
import { ordersAppOnRedis } from './orders-app-on-redis';

describeRedis("the module's lock option: lock: { type: 'redis', url, keyPrefix }", () => {
  const servers = useOidcAndApi({ tokenTtlSeconds: 300 });
  let children: TranspiledChildren;
  const modules: TestingModule[] = [];
  const prefixes: string[] = [];

  beforeAll(async () => {
    children = TranspiledChildren.create(['lib', 'test/storage/workers']);
  });
  afterEach(async () => {
    await Promise.all(modules.splice(0).map((moduleRef) => moduleRef.close()));
  });
  afterAll(async () => {
    await Promise.all(prefixes.map((prefix) => deleteKeysUnder(prefix)));
    children?.dispose();
  });

  function freshPrefix(): string {
    const prefix = uniqueKeyPrefix('module-lock');
    prefixes.push(prefix);
    return prefix;
  }

  /** An app instance on the shared Redis storage, like one pod. */
  async function app(
    namespace: string,
    options: Partial<ForgeClientOptions>,
  ): Promise<ForgeClient> {
    const moduleRef = await ordersAppOnRedis(servers, namespace, options);
    modules.push(moduleRef);
    return moduleRef.get<ForgeClient>(getForgeClientToken('orders'));
  }

  const tokenRequests = async () => (await servers.oidc.stats()).tokenRequests;
  const callBoth = (a: ForgeClient, b: ForgeClient) =>
    Promise.all([a, b].flatMap((client) => [1, 2, 3].map(() => lastValueFrom(client.get('/x')))));

  it('two module instances on one Redis make one token request; the lock key uses keyPrefix', async () => {
    const prefix = freshPrefix();
    const lock = { type: 'redis' as const, url: redisUrl(), keyPrefix: `${prefix}lock:` };
    const [a, b] = [await app(prefix, { lock }), await app(prefix, { lock })];
    await servers.oidc.setFaults({ delayMs: 400 });

    const calls = callBoth(a, b);
    // While the token request is slow, the holder's lock is in Redis under the prefix.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lockKeysDuringFetch = await keysUnder(`${prefix}lock:`);
    await calls;

    expect(lockKeysDuringFetch).toHaveLength(1);
    expect(lockKeysDuringFetch[0]).toMatch(new RegExp(`^${prefix}lock:orders:`));
    expect(await tokenRequests()).toBe(1);
    expect(await keysUnder(`${prefix}lock:`)).toEqual([]);
  });

  it('control: with a lock per instance (what separate processes have) they make two token requests', async () => {
    const prefix = freshPrefix();
    // A lock that only covers its own instance, as each process's manager does on its own.
    const ownOnly = (): TokenLock => ({ runExclusive: (_key, work) => work.fetch() });
    const a = await app(prefix, { lock: ownOnly() });
    const b = await app(prefix, { lock: ownOnly() });
    await servers.oidc.setFaults({ delayMs: 400 });

    await callBoth(a, b);

    expect(await tokenRequests()).toBe(2);
    expect(await keysUnder(`${prefix}lock:`)).toEqual([]);
  });

  /** Runs the worker; resolves with its exit code, or 'still running' after `waitMs`. */
  async function runUntilExit(lock: LockShutdownInput['lock'], waitMs: number) {
    const input: LockShutdownInput = {
      redisUrl: redisUrl(),
      keyPrefix: `${freshPrefix()}lock:`,
      apiBaseUrl: servers.api.baseUrl,
      tokenUrl: servers.oidc.tokenUrl,
      clientId: POST_CLIENT.clientId,
      clientSecret: POST_CLIENT.clientSecret,
      lock,
    };
    const options = children.runOptions();
    const child = fork(
      children.script('test/storage/workers/lock-shutdown-worker.ts'),
      [JSON.stringify(input)],
      { execArgv: options.execArgv, env: { ...process.env, ...options.env } },
    );
    const reply = new Promise<unknown>((resolve) => child.once('message', resolve));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // Counted from its reply: the time it has to exit after closing the module.
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const stillRunning = reply.then(
      () =>
        new Promise<string>((resolve) => {
          if (!settled) timer = setTimeout(() => resolve('still running'), waitMs);
        }),
    );
    const outcome = await Promise.race([exited, stillRunning]);
    settled = true;
    clearTimeout(timer);
    child.kill('SIGKILL');
    await exited;
    return { reply: await reply, outcome };
  }

  it('closes the Redis connection it opened when the module closes: the process exits on its own', async () => {
    const { reply, outcome } = await runUntilExit('plain', 10_000);

    expect(reply).toEqual({ status: 200 });
    expect(outcome).toBe(0);
  }, 30_000);

  it('control: a lock instance the app passed stays open after the module closes (the process keeps running)', async () => {
    const { reply, outcome } = await runUntilExit('instance', 2_000);

    expect(reply).toEqual({ status: 200 });
    expect(outcome).toBe('still running');
  }, 30_000);
});

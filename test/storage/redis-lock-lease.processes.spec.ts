import { fork } from 'node:child_process';
import { runInChildProcesses } from '../support/child-processes';
import { describeRedis, redisUrl, uniqueKeyPrefix } from '../support/redis';
import { deleteKeysUnder, withRedisClient } from '../support/redis-keys';
import { TranspiledChildren } from '../support/transpiled-children';
import type { LeaseWaiterResult, LeaseWorkerInput } from './workers/lease-workers';

describeRedis('Redis lock lease across real processes', () => {
  const namespace = uniqueKeyPrefix('lease-processes');
  let children: TranspiledChildren;

  beforeAll(() => {
    children = TranspiledChildren.create(['lib', 'test/support', 'test/storage/workers']);
  });
  afterAll(async () => {
    await deleteKeysUnder(namespace);
    children?.dispose();
  });

  it('the lock holder SIGKILLed during a slow fetch; another process has a token within 12 s', async () => {
    const input: LeaseWorkerInput = { redisUrl: redisUrl(), namespace, serviceName: 'leased' };
    const run = children.runOptions();
    const holder = fork(
      children.script('test/storage/workers/lease-holder-worker.ts'),
      [JSON.stringify(input)],
      { execArgv: run.execArgv, env: { ...process.env, ...run.env }, stdio: 'inherit' },
    );
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        holder.once('message', (m: { fetching?: boolean; error?: string }) =>
          m.fetching ? resolve() : reject(new Error(`holder failed: ${m.error}`)),
        );
        holder.once('exit', () => reject(new Error('holder exited before fetching')));
      });
      // The holder's fetch may take 30 s (its provider's worst case); its lock is a 5 s lease.
      const lockKeys = await withRedisClient((c) => c.keys(`${namespace}lock:*`));
      expect(lockKeys).toHaveLength(1);
      const ttl = await withRedisClient((c) => c.pTTL(lockKeys[0]));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(5_000);

      let killedAt = 0;
      const [waiter] = await runInChildProcesses<LeaseWorkerInput, LeaseWaiterResult>(
        children.script('test/storage/workers/lease-waiter-worker.ts'),
        [input],
        children.runOptions({
          timeoutMs: 30_000,
          afterStart: () => {
            holder.kill('SIGKILL');
            killedAt = Date.now();
          },
        }),
      );
      const sinceKill = Date.now() - killedAt;
      console.log(
        `token ${sinceKill} ms after the holder was killed (waited ${waiter.waitedMs} ms)`,
      );
      expect(waiter.accessToken).toMatch(/^from-\d+$/);
      expect(sinceKill).toBeLessThan(12_000);
      // It did wait for the dead holder's lease: the lock was held when it asked.
      expect(waiter.waitedMs).toBeGreaterThan(100);
    } finally {
      if (holder.exitCode === null && holder.signalCode === null) holder.kill('SIGKILL');
      await exited;
    }
  }, 60_000);
});

import { runInChildProcesses } from '../support/child-processes';
import { describeRedis, redisUrl, uniqueKeyPrefix } from '../support/redis';
import { deleteKeysUnder } from '../support/redis-keys';
import { TranspiledChildren } from '../support/transpiled-children';
import type { LockWorkerInput, LockWorkerResult } from './workers/lock-worker';

describeRedis('RedisTokenLock across real processes', () => {
  const namespace = uniqueKeyPrefix('lock-processes');
  let children: TranspiledChildren;

  beforeAll(() => {
    children = TranspiledChildren.create(['lib', 'test/support', 'test/storage/workers']);
  });
  afterAll(async () => {
    await deleteKeysUnder(namespace);
    children?.dispose();
  });

  it('makes one fetch for 3 forked processes started together; the others read its token', async () => {
    const input: LockWorkerInput = { redisUrl: redisUrl(), namespace, key: 'svc' };
    const results = await runInChildProcesses<LockWorkerInput, LockWorkerResult>(
      children.script('test/storage/workers/lock-worker.ts'),
      [input, input, input],
      children.runOptions(),
    );
    expect(results.filter((r) => r.fetched)).toHaveLength(1);
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
  });
});

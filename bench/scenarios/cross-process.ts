import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { redisAvailable, redisMissing, redisUrl } from '../../test/support/redis';
import { deleteKeysUnder } from '../../test/support/redis-keys';
import { BenchSizes } from '../bench-options';
import { BenchServer } from '../servers/bench-server';
import {
  CrossProcessPhase,
  CrossProcessResult,
  WORKER_ENV,
} from '../workers/cross-process.contract';
import { ProcessGroup } from '../workers/process-group';
import { TokenCount } from './token-count';

export type CrossProcessOutcome =
  | { skipped: false; withoutLock: TokenCount; withLock: TokenCount }
  | { skipped: true; reason: string };

const WORKERS_DIR = join(__dirname, '..', 'workers');

/**
 * `processes` processes sharing tokens through Redis (CacheManagerTokenStorage on
 * `createKeyv(url)`), started together on a cold cache: token requests without and with
 * RedisTokenLock.
 */
export async function measureCrossProcess(
  server: BenchServer,
  sizes: BenchSizes,
): Promise<CrossProcessOutcome> {
  const url = redisUrl();
  if (!(await redisAvailable(url))) return { skipped: true, reason: redisMissing(url) };
  const group = await ProcessGroup.fork<CrossProcessPhase, CrossProcessResult>(
    WORKERS_DIR,
    'cross-process.worker',
    sizes.processes,
    {
      [WORKER_ENV.origin]: server.origin,
      [WORKER_ENV.tokenUrl]: server.tokenUrl,
      [WORKER_ENV.redisUrl]: url,
    },
  );
  try {
    return {
      skipped: false,
      withoutLock: await runPhase(server, group, url, {
        withLock: false,
        calls: sizes.callsPerProcess,
      }),
      withLock: await runPhase(server, group, url, {
        withLock: true,
        calls: sizes.callsPerProcess,
      }),
    };
  } finally {
    await group.close();
  }
}

async function runPhase(
  server: BenchServer,
  group: ProcessGroup<CrossProcessPhase, CrossProcessResult>,
  url: string,
  phase: Omit<CrossProcessPhase, 'namespace'>,
): Promise<TokenCount> {
  const namespace = `forge-bench:${process.pid}:${randomBytes(4).toString('hex')}:`;
  try {
    await server.resetCounters();
    const results = await group.run({ ...phase, namespace });
    const { tokenRequests } = await server.stats();
    return { tokenRequests, failures: results.reduce((sum, r) => sum + r.failures, 0) };
  } finally {
    await deleteKeysUnder(namespace, url);
  }
}

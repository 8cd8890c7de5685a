import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export function redisUrl(): string {
  return process.env.REDIS_URL || DEFAULT_REDIS_URL;
}

/** A prefix no other test run uses: engineers and CI share one Redis. */
export function uniqueKeyPrefix(label: string): string {
  return `forge-test:${label}:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

/** True when a Redis at `url` answers PING within `timeoutMs`. */
export function redisAvailable(url = redisUrl(), timeoutMs = 1_000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(/^\+PONG|^-NOAUTH/.test(data.toString())));
    socket.connect(Number(port || 6379), hostname || '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

/** `describe` must be declared synchronously, so the same probe runs in a short child process. */
export function redisAvailableSync(url = redisUrl(), timeoutMs = 1_000): boolean {
  const { hostname, port } = new URL(url);
  const probe = `const s = require('node:net').connect(${Number(port || 6379)}, ${JSON.stringify(hostname || '127.0.0.1')}, () => s.write('PING\\r\\n'));
    s.setTimeout(${timeoutMs}, () => process.exit(1));
    s.on('error', () => process.exit(1));
    s.on('data', (d) => process.exit(/^\\+PONG|^-NOAUTH/.test(String(d)) ? 0 : 1));`;
  try {
    execFileSync(process.execPath, ['-e', probe], { stdio: 'ignore', timeout: timeoutMs + 2_000 });
    return true;
  } catch {
    return false;
  }
}

export type RedisSuiteDecision =
  { action: 'run' } | { action: 'skip'; message: string } | { action: 'fail'; message: string };

/** The reason printed when the Redis at `url` does not answer; a password is masked. */
export function redisMissing(url = redisUrl()): string {
  return `Redis at ${maskCredentials(url)} does not answer`;
}

/** Whether a Redis suite runs, is skipped (Redis optional) or fails (`FORGE_REQUIRE_REDIS` set). */
export function decideRedisSuite(
  available: boolean,
  env: NodeJS.ProcessEnv = process.env,
  missing = redisMissing(),
): RedisSuiteDecision {
  if (available) return { action: 'run' };
  const required =
    env.FORGE_REQUIRE_REDIS !== undefined && !/^(0|false|)$/i.test(env.FORGE_REQUIRE_REDIS);
  if (required) {
    return { action: 'fail', message: `${missing} and FORGE_REQUIRE_REDIS is set` };
  }
  return {
    action: 'skip',
    message: `${missing}: skipping Redis tests (start redis-server or set REDIS_URL; set FORGE_REQUIRE_REDIS=1 to make this a failure)`,
  };
}

let probed: boolean | undefined;

/** `describe` for suites that need Redis: run, skip with a printed reason, or fail. */
export function describeRedis(name: string, suite: () => void): void {
  probed ??= redisAvailableSync();
  applyDecision(name, decideRedisSuite(probed), suite);
}

export function applyDecision(name: string, decision: RedisSuiteDecision, suite: () => void): void {
  if (decision.action === 'run') {
    describe(name, suite);
  } else if (decision.action === 'skip') {
    console.warn(`[${name}] ${decision.message}`);
    describe.skip(name, suite);
  } else {
    describe(name, () => {
      it('needs Redis', () => {
        throw new Error(decision.message);
      });
    });
  }
}

function maskCredentials(url: string): string {
  return url.replace(/\/\/[^/\s@]*@/, '//***@');
}

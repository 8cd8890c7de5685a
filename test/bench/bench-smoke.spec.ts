import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResults } from '../../bench/bench-results';
import { SMOKE } from '../../bench/bench-options';
import { decideRedisSuite, redisAvailable } from '../support/redis';

const ROOT = join(__dirname, '..', '..');
const COMMITTED_REPORT = join(ROOT, 'BENCHMARKS.md');

/** Exactly what a developer runs: the npm script (build, then the compiled runner). */
function runSmokeBench(outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'npm',
      ['run', '--silent', 'bench', '--', '--smoke', '--out-dir', outDir],
      { cwd: ROOT, timeout: 110_000 },
      (error, _stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(),
    );
  });
}

/** The benchmark in smoke mode, so that it cannot rot: every scenario runs and counts. */
describe('npm run bench -- --smoke', () => {
  let outDir: string;
  let results: BenchResults;
  let committedBefore: { mtimeMs: number; text: string } | undefined;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'forge-bench-spec-'));
    committedBefore = existsSync(COMMITTED_REPORT)
      ? {
          mtimeMs: statSync(COMMITTED_REPORT).mtimeMs,
          text: readFileSync(COMMITTED_REPORT, 'utf8'),
        }
      : undefined;
    await runSmokeBench(outDir);
    results = JSON.parse(readFileSync(join(outDir, 'bench-results.json'), 'utf8')) as BenchResults;
  }, 120_000);

  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('writes its report to the given directory and leaves the committed BENCHMARKS.md alone', () => {
    const report = readFileSync(join(outDir, 'BENCHMARKS.md'), 'utf8');
    expect(report).toContain('smoke run');
    expect(report).toContain('| Target | Measured | Met |');
    if (committedBefore) {
      expect(statSync(COMMITTED_REPORT).mtimeMs).toBe(committedBefore.mtimeMs);
      expect(readFileSync(COMMITTED_REPORT, 'utf8')).toBe(committedBefore.text);
    } else {
      expect(existsSync(COMMITTED_REPORT)).toBe(false);
    }
  });

  it('measures the overhead stacks as finite positive ratios to HttpService, none failing', () => {
    expect(results.smoke).toBe(true);
    expect(results.overhead.map((row) => row.id)).toEqual([
      'httpService',
      'forgeClientNoOtel',
      'forgeClient',
      'forgeClientOtelSdk',
      'forgeClientStatic',
      'forgeClientUndici',
      'forgeClientUndiciStatic',
      'axiosAuthRefresh',
      'undici',
    ]);
    for (const row of results.overhead) {
      expect(Number.isFinite(row.ratio)).toBe(true);
      expect(row.ratio).toBeGreaterThan(0);
      expect(row.roundsMs).toHaveLength(SMOKE.overheadRounds);
      expect(row.failures).toBe(0);
    }
    expect(results.overhead[0].ratio).toBe(1);
  });

  it('counts one token request for a ForgeClient herd and 401 storm, every call succeeding', () => {
    for (const scenario of [results.herd, results.storm]) {
      expect(scenario.forgeClient).toEqual({ tokenRequests: 1, failures: 0 });
      // The token server really counts: the other stacks' requests show up too.
      expect(scenario.axiosAuthRefresh.tokenRequests).toBeGreaterThanOrEqual(1);
      expect(scenario.axiosAuthRefresh.failures).toBe(0);
    }
  });

  it('shares one token across processes with the Redis lock, or says why it skipped', async () => {
    const decision = decideRedisSuite(await redisAvailable());
    if (decision.action === 'fail') throw new Error(decision.message);
    const cross = results.crossProcess;
    if (decision.action === 'skip') {
      expect(cross.skipped).toBe(true);
      return;
    }
    if (cross.skipped) throw new Error(`cross-process part skipped: ${cross.reason}`);
    expect(cross.withLock).toEqual({ tokenRequests: 1, failures: 0 });
    expect(cross.withoutLock.tokenRequests).toBeGreaterThanOrEqual(1);
    expect(cross.withoutLock.tokenRequests).toBeLessThanOrEqual(SMOKE.processes);
    expect(cross.withoutLock.failures).toBe(0);
  });

  it('measures what encryption at rest adds per token read, as finite microseconds', () => {
    const encryption = results.encryption;
    expect(encryption.reads).toBe(SMOKE.encryptionReads);
    for (const value of [encryption.plainReadUs, encryption.encryptedReadUs]) {
      expect(value).toBeGreaterThan(0);
    }
    expect(Number.isFinite(encryption.overheadReadUs)).toBe(true);
    expect(encryption.encryptedWriteUs).toBeGreaterThan(0);
    expect(readFileSync(join(outDir, 'BENCHMARKS.md'), 'utf8')).toMatch(/per token read\*\*/);
  });

  it('reports heap growth after forced GC for the memory run', () => {
    expect(results.memory.map((memory) => memory.transport)).toEqual(['axios', 'undici']);
    for (const memory of results.memory) {
      expect(memory.requests).toBe(SMOKE.memoryRequests);
      expect(memory.failures).toBe(0);
      expect(memory.startMb).toBeGreaterThan(0);
      expect(Number.isFinite(memory.growthMb)).toBe(true);
    }
  });

  it('counts IdP requests while the client secret is wrong, with and without the failure backoff', () => {
    const { withoutBackoff, withBackoff } = results.wrongSecret;
    for (const row of [withoutBackoff, withBackoff]) {
      expect(row.calls).toBeGreaterThan(0);
      expect(row.sentWithoutToken).toBe(0);
    }
    expect(withBackoff.tokenRequests).toBeGreaterThanOrEqual(1);
    expect(withBackoff.tokenRequests).toBeLessThan(withoutBackoff.tokenRequests);
    expect(readFileSync(join(outDir, 'BENCHMARKS.md'), 'utf8')).toContain(
      'IdP requests while the client secret is wrong',
    );
  });
});

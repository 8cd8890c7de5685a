import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Sizes of every scenario; the full run uses the numbers of issue 9. */
export interface BenchSizes {
  overheadRequests: number;
  overheadConcurrency: number;
  overheadRounds: number;
  warmUpRequests: number;
  herdCalls: number;
  stormCalls: number;
  processes: number;
  callsPerProcess: number;
  memoryRequests: number;
  /** Token reads per storage and round in the encryption overhead (in memory, crypto only). */
  encryptionReads: number;
  /** Callers looping on a client whose secret the token endpoint refuses, and for how long. */
  wrongSecretCallers: number;
  wrongSecretSeconds: number;
}

export const FULL: BenchSizes = {
  overheadRequests: 20_000,
  overheadConcurrency: 50,
  // Rounds on this class of VM vary by ±10 %; the median of 9 steadies the ratios.
  overheadRounds: 9,
  warmUpRequests: 2_000,
  herdCalls: 1_000,
  stormCalls: 500,
  processes: 4,
  callsPerProcess: 250,
  memoryRequests: 200_000,
  encryptionReads: 20_000,
  wrongSecretCallers: 200,
  wrongSecretSeconds: 30,
};

/** Tiny: proves every scenario still runs and counts (the jest smoke spec), in seconds. */
export const SMOKE: BenchSizes = {
  overheadRequests: 300,
  overheadConcurrency: 10,
  overheadRounds: 3,
  warmUpRequests: 100,
  herdCalls: 50,
  stormCalls: 30,
  processes: 2,
  callsPerProcess: 20,
  memoryRequests: 2_000,
  encryptionReads: 500,
  wrongSecretCallers: 20,
  wrongSecretSeconds: 1,
};

export interface BenchOptions {
  smoke: boolean;
  sizes: BenchSizes;
  /** Where BENCHMARKS.md is written. */
  markdownPath: string;
  /** Where the raw results are written as JSON, if anywhere. */
  jsonPath?: string;
  /** `--only overhead`: that scenario alone, printed, nothing written (a quick look). */
  only?: 'overhead';
}

/**
 * `--smoke` runs the tiny sizes and writes into a temporary directory (never the committed
 * BENCHMARKS.md); `--out-dir <dir>` writes BENCHMARKS.md and bench-results.json there.
 */
export function parseBenchOptions(argv: readonly string[], repoRoot: string): BenchOptions {
  const smoke = argv.includes('--smoke');
  const outIndex = argv.indexOf('--out-dir');
  const requested = outIndex >= 0 ? argv[outIndex + 1] : undefined;
  if (outIndex >= 0 && !requested) throw new Error('--out-dir needs a directory');
  const outDir = requested ?? (smoke ? mkdtempSync(join(tmpdir(), 'forge-bench-')) : undefined);
  const onlyIndex = argv.indexOf('--only');
  const only = onlyIndex >= 0 ? argv[onlyIndex + 1] : undefined;
  if (onlyIndex >= 0 && only !== 'overhead') throw new Error('--only takes: overhead');
  return {
    ...(only === 'overhead' ? { only } : {}),
    smoke,
    sizes: smoke ? SMOKE : FULL,
    markdownPath: join(outDir ?? repoRoot, 'BENCHMARKS.md'),
    jsonPath: outDir ? join(outDir, 'bench-results.json') : undefined,
  };
}

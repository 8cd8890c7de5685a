import { fork, ForkOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';

/** The repository root, from the sources (bench/) or from the compiled build (bench/.out/build/bench/). */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || dir.includes(join('bench', '.out'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the benchmark');
    dir = parent;
  }
  return dir;
}

/**
 * Forks `<dir>/<name>` as the running benchmark is built: the compiled `.js` under
 * `npm run bench`, the `.ts` source through ts-node otherwise (the smoke spec may use either).
 */
export function forkScript(dir: string, name: string, options: ForkOptions = {}) {
  const typescript = extname(__filename) === '.ts';
  return fork(join(dir, `${name}${typescript ? '.ts' : '.js'}`), [], {
    ...options,
    execArgv: typescript ? ['-r', 'ts-node/register/transpile-only'] : [],
  });
}

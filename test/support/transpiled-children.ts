import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';
import { ChildRunOptions } from './child-processes';

const ROOT = resolve(__dirname, '..', '..');
const COMPILER_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  isolatedModules: true,
};

/**
 * The repository's TypeScript under `dirs`, transpiled once to plain JavaScript for child
 * processes: ts-node loading Nest and the library in 4 processes at once takes 10+ s on a busy
 * 2-core box, plain `node` a fraction of that.
 */
export class TranspiledChildren {
  private constructor(private readonly outDir: string) {}

  static create(dirs: string[]): TranspiledChildren {
    const outDir = mkdtempSync(join(tmpdir(), 'forge-children-'));
    for (const dir of dirs) transpileDir(resolve(ROOT, dir), outDir);
    return new TranspiledChildren(outDir);
  }

  /** The JavaScript of a repository `.ts` file, e.g. `test/storage/workers/x.ts`. */
  script(repoPath: string): string {
    return join(this.outDir, repoPath.replace(/\.ts$/, '.js'));
  }

  /** Options for `runInChildProcesses`: plain node, packages from the repository. */
  runOptions(options: ChildRunOptions = {}): ChildRunOptions {
    return {
      ...options,
      execArgv: [],
      env: { ...options.env, NODE_PATH: join(ROOT, 'node_modules') },
    };
  }

  dispose(): void {
    rmSync(this.outDir, { recursive: true, force: true });
  }
}

function transpileDir(dir: string, outDir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) transpileDir(path, outDir);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
      const target = join(outDir, relative(ROOT, path)).replace(/\.ts$/, '.js');
      const { outputText } = ts.transpileModule(readFileSync(path, 'utf8'), {
        compilerOptions: COMPILER_OPTIONS,
        fileName: path,
      });
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, outputText);
    }
  }
}

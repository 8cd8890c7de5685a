import { ChildProcess, fork } from 'node:child_process';

/** Parent → child and child → parent messages of the harness. */
type ToChild = { type: 'start' };

const INPUT_ENV = 'FORGE_CHILD_INPUT';
type FromChild<Result> =
  { type: 'ready' } | { type: 'result'; result: Result } | { type: 'error'; message: string };

export interface ChildRunOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Node flags of the children. Default: ts-node (transpile only), for a `.ts` script. */
  execArgv?: string[];
  /** Runs once every child has been sent the start signal (e.g. to kill a peer meanwhile). */
  afterStart?: () => void;
}

/**
 * Runs `script` (a TypeScript file calling `serveChildTask`) in one child process per input.
 * Every child loads and prepares (connects, builds its app) with its input first; all are started together once all are ready, so their
 * work really overlaps. Results come back in input order; any failure or timeout rejects after
 * every child has been killed.
 */
export async function runInChildProcesses<Input, Result>(
  script: string,
  inputs: Input[],
  options: ChildRunOptions = {},
): Promise<Result[]> {
  const children = inputs.map((input) =>
    fork(script, [], {
      execArgv: options.execArgv ?? ['-r', 'ts-node/register/transpile-only'],
      env: { ...process.env, ...options.env, [INPUT_ENV]: JSON.stringify(input) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const timeoutMs = options.timeoutMs ?? 20_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`child processes did not finish in ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    await Promise.race([Promise.all(children.map((c) => nextMessage(c, 'ready'))), timeout]);
    const results = children.map((child) => nextMessage<Result>(child, 'result'));
    children.forEach((child) => child.send({ type: 'start' } satisfies ToChild));
    options.afterStart?.();
    return await Promise.race([Promise.all(results), timeout]);
  } finally {
    clearTimeout(timer);
    await Promise.all(children.map(stop));
  }
}

function nextMessage<Result>(child: ChildProcess, type: 'ready' | 'result'): Promise<Result> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`child exited with ${code} before ${type}`));
    child.once('exit', onExit);
    child.on('message', function onMessage(message: FromChild<Result>) {
      if (message.type !== type && message.type !== 'error') return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (message.type === 'error') reject(new Error(`child failed: ${message.message}`));
      else resolve((message as { result?: Result }).result as Result);
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/**
 * The child side: `prepare(input)` runs at load (connect, build the app), then `task` runs on the
 * parent's start signal; the process exits after reporting.
 */
export function serveChildTask<Input, Context, Result>(
  prepare: (input: Input) => Promise<Context>,
  task: (context: Context) => Promise<Result>,
  cleanup: (context: Context) => Promise<void> = async () => undefined,
): void {
  const send = (message: FromChild<Result>) =>
    new Promise<void>((resolve) => process.send?.(message, () => resolve()));
  void (async () => {
    try {
      const context = await prepare(JSON.parse(process.env[INPUT_ENV] ?? 'null') as Input);
      const start = new Promise<void>((resolve) => process.once('message', () => resolve()));
      await send({ type: 'ready' });
      await start;
      const result = await task(context);
      await cleanup(context);
      await send({ type: 'result', result });
    } catch (error) {
      await send({
        type: 'error',
        message: error instanceof Error ? error.message : String(error),
      });
    } finally {
      process.disconnect?.();
    }
  })();
}

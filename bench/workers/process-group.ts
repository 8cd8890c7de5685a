import { ChildProcess } from 'node:child_process';
import { forkScript } from '../paths';

/** Parent → child. */
export type GroupCommand<Phase> =
  { type: 'prepare'; phase: Phase } | { type: 'start' } | { type: 'exit' };

/** Child → parent. */
export type GroupReply<Result> =
  | { type: 'ready' }
  | { type: 'prepared' }
  | { type: 'result'; result: Result }
  | { type: 'error'; message: string };

/**
 * Forked processes (loaded once) that run phases in lockstep: every child prepares the phase
 * (builds clients, connects), and only when all are prepared do they all start, so their work
 * really overlaps. Loading TypeScript children costs seconds, so they are reused across phases.
 */
export class ProcessGroup<Phase, Result> {
  private constructor(
    private readonly children: ChildProcess[],
    private readonly timeoutMs: number,
  ) {}

  /** Forks `count` copies of `<dir>/<name>` (see `forkScript`). */
  static async fork<Phase, Result>(
    dir: string,
    name: string,
    count: number,
    env: Record<string, string>,
    timeoutMs = 60_000,
  ): Promise<ProcessGroup<Phase, Result>> {
    const children = Array.from({ length: count }, () =>
      forkScript(dir, name, {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    const group = new ProcessGroup<Phase, Result>(children, timeoutMs);
    try {
      await group.all('ready');
    } catch (error) {
      await group.close();
      throw error;
    }
    return group;
  }

  /** Prepares `phase` in every child, starts them together, and returns their results in order. */
  async run(phase: Phase): Promise<Result[]> {
    this.broadcast({ type: 'prepare', phase });
    await this.all('prepared');
    const results = this.all('result');
    this.broadcast({ type: 'start' });
    return (await results).map((reply) => (reply as { result: Result }).result);
  }

  async close(): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        if (child.connected) child.send({ type: 'exit' } satisfies GroupCommand<Phase>);
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  private broadcast(command: GroupCommand<Phase>): void {
    for (const child of this.children) child.send(command);
  }

  private all(type: 'ready' | 'prepared' | 'result'): Promise<Array<GroupReply<Result>>> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`child processes sent no "${type}" within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    const replies = Promise.all(this.children.map((child) => nextReply<Result>(child, type)));
    return Promise.race([replies, timeout]).finally(() => clearTimeout(timer));
  }
}

function nextReply<Result>(child: ChildProcess, type: string): Promise<GroupReply<Result>> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => {
      child.off('message', onMessage);
      reject(new Error(`child exited with ${code} before "${type}"`));
    };
    const onMessage = (reply: GroupReply<Result>) => {
      if (reply.type !== type && reply.type !== 'error') return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (reply.type === 'error') reject(new Error(`child failed: ${reply.message}`));
      else resolve(reply);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * The child side: `prepare(phase)` on each prepare command, `run(prepared)` on start (it also
 * cleans up what it prepared), exit on the exit command or when the parent goes away.
 */
export function servePhases<Phase, Prepared, Result>(
  prepare: (phase: Phase) => Promise<Prepared>,
  run: (prepared: Prepared) => Promise<Result>,
): void {
  const reply = (message: GroupReply<Result>) => process.send?.(message);
  let prepared: Prepared | undefined;
  const fail = (error: unknown) =>
    reply({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  process.on('message', (command: GroupCommand<Phase>) => {
    if (command.type === 'prepare') {
      prepare(command.phase).then((value) => {
        prepared = value;
        reply({ type: 'prepared' });
      }, fail);
    } else if (command.type === 'start' && prepared !== undefined) {
      const current = prepared;
      prepared = undefined;
      run(current).then((result) => reply({ type: 'result', result }), fail);
    } else if (command.type === 'exit') {
      process.disconnect();
    }
  });
  process.on('disconnect', () => process.exit(0));
  reply({ type: 'ready' });
}

import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import { redisAvailable } from './redis';

export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * A throwaway `redis-server` on a free port, for outage tests: `stop()` kills it (SIGKILL, like a
 * crash), `start()` brings it back on the same port, empty.
 */
export class ThrowawayRedis {
  private process?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly password?: string,
  ) {}

  /** @param password makes the server ask for it (`requirepass`) */
  static async start(password?: string): Promise<ThrowawayRedis> {
    const server = new ThrowawayRedis(await freePort(), password);
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.process) return;
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      ...(this.password === undefined ? [] : ['--requirepass', this.password]),
    ];
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.process = child;
    // A forced jest exit skips afterAll: do not leave a server behind.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    const deadline = Date.now() + 5_000;
    while (!(await redisAvailable(this.url, 200))) {
      if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

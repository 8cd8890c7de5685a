import { ChildProcess } from 'node:child_process';
import { forkScript } from '../paths';

export interface ServerStats {
  tokenRequests: number;
  issued: number;
  revokedUpTo: number;
  unauthorized: number;
}

/** The parent's handle on the benchmark servers running in a child process. */
export class BenchServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly origin: string,
  ) {}

  static async start(): Promise<BenchServer> {
    const child = forkScript(__dirname, 'bench-server.child', {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
      child.on('message', (message: { type?: string; port?: number }) => {
        if (message.type === 'listening' && message.port) resolve(message.port);
      });
    });
    return new BenchServer(child, `http://127.0.0.1:${port}`);
  }

  get tokenUrl(): string {
    return `${this.origin}/token`;
  }

  stats(): Promise<ServerStats> {
    return this.admin('stats') as Promise<ServerStats>;
  }

  /** Zeroes the request counters. */
  async resetCounters(): Promise<void> {
    await this.admin('reset');
  }

  /** Every token issued so far is refused from now on (a revoked token). */
  async revokeIssuedTokens(): Promise<void> {
    await this.admin('revoke');
  }

  /** While on, the token endpoint answers `400 {"error":"invalid_client"}` (a rotated secret). */
  async setRefuseClients(refuse: boolean): Promise<void> {
    await this.admin('config', { refuseClients: refuse });
  }

  async setTokenDelay(ms: number): Promise<void> {
    await this.admin('config', { tokenDelayMs: ms });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 2_000);
    await exited;
    clearTimeout(timer);
  }

  private async admin(path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.origin}/__bench/${path}`, {
      method: 'POST',
      body: JSON.stringify(body ?? {}),
    });
    return response.json();
  }
}

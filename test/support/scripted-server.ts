import {
  createServer,
  IncomingHttpHeaders,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

/** A canned answer: a status with optional headers and JSON body, a reset socket, or a handler. */
export type Reply =
  | { status: number; headers?: Record<string, string>; body?: unknown; delayMs?: number }
  | 'reset'
  | ((req: IncomingMessage, res: ServerResponse) => void);

/**
 * A real HTTP server on 127.0.0.1:0 that answers from a per-test script: each request takes the
 * next reply, and once the script is used up every request gets `otherwise` (200 by default).
 */
export class ScriptedServer {
  readonly requests: ReceivedRequest[] = [];
  private readonly script: Reply[] = [];
  private otherwiseReply: Reply = { status: 200, body: { ok: true } };
  private readonly pending = new Set<NodeJS.Timeout>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<ScriptedServer> {
    const server = createServer();
    const scripted = new ScriptedServer(server);
    server.on('request', (req, res) => scripted.answer(req, res));
    server.keepAliveTimeout = 500;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return scripted;
  }

  url(path = '/'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** Queues replies, answered in order. */
  reply(...replies: Reply[]): this {
    this.script.push(...replies);
    return this;
  }

  /** The reply once the script is used up. */
  otherwise(reply: Reply): this {
    this.otherwiseReply = reply;
    return this;
  }

  /** Resolves once `count` requests have arrived. */
  async waitForRequests(count: number, timeoutMs = 5_000): Promise<void> {
    const start = Date.now();
    while (this.requests.length < count) {
      if (Date.now() - start > timeoutMs) {
        throw new Error(`expected ${count} requests, got ${this.requests.length}`);
      }
      await sleep(5);
    }
  }

  async close(): Promise<void> {
    for (const timer of this.pending) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    req.on('end', () => {
      this.requests.push({
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
      });
      const reply = this.script.shift() ?? this.otherwiseReply;
      if (reply === 'reset') return void req.socket.destroy();
      if (typeof reply === 'function') return reply(req, res);
      const send = () => {
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(JSON.stringify(reply.body ?? {}));
      };
      if (!reply.delayMs) return send();
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        send();
      }, reply.delayMs);
      this.pending.add(timer);
    });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

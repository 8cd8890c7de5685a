import {
  createServer,
  IncomingHttpHeaders,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** PEM material of an https RecordingServer; `ca` verifies client certificates. */
export interface RecordingServerTls {
  cert: string;
  key: string;
  ca?: string;
}

export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  recorded: RecordedRequest,
) => void | Promise<void>;

/**
 * A real HTTP server on 127.0.0.1 (ephemeral port) that records every request it receives and
 * notices requests whose socket closed before it answered (aborted by the client).
 */
export class RecordingServer {
  readonly requests: RecordedRequest[] = [];
  /** Requests whose connection closed before a response was sent. */
  readonly aborted: RecordedRequest[] = [];
  private server?: Server;
  private handler: Handler = (_req, res) => json(res, 200, { ok: true });
  private tls?: RecordingServerTls;

  /** @param tls serve https (asking clients for a certificate, as mutual TLS servers do) */
  static async start(handler?: Handler, tls?: RecordingServerTls): Promise<RecordingServer> {
    const s = new RecordingServer();
    if (handler) s.handler = handler;
    s.tls = tls;
    await s.listen();
    return s;
  }

  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  handle(handler: Handler): void {
    this.handler = handler;
  }

  /** Resolves when `count` requests have arrived. */
  async waitForRequests(count: number, timeoutMs = 5_000): Promise<void> {
    const start = Date.now();
    while (this.requests.length < count) {
      if (Date.now() - start > timeoutMs) {
        throw new Error(`expected ${count} requests, got ${this.requests.length}`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async waitForAbort(count = 1, timeoutMs = 5_000): Promise<void> {
    const start = Date.now();
    while (this.aborted.length < count) {
      if (Date.now() - start > timeoutMs) throw new Error('no aborted request seen');
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private listen(): Promise<void> {
    const listener = (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = req.url ?? '/';
        const recorded: RecordedRequest = {
          method: req.method ?? 'GET',
          url,
          path: url.split('?')[0],
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.requests.push(recorded);
        res.on('close', () => {
          if (!res.writableFinished) this.aborted.push(recorded);
        });
        Promise.resolve(this.handler(req, res, recorded)).catch((err: unknown) => {
          if (!res.headersSent) json(res, 500, { error: String(err) });
        });
      });
    };
    this.server = this.tls
      ? createHttpsServer({ ...this.tls, requestCert: true, rejectUnauthorized: false }, listener)
      : createServer(listener);
    this.server.keepAliveTimeout = 1_000;
    return new Promise((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
  }
}

export function json(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A port on 127.0.0.1 with nothing listening (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  delayMs?: number;
}

export interface RecordedTokenRequest {
  method: string;
  headers: IncomingHttpHeaders;
  /** The form fields received. */
  form: Record<string, string>;
}

/**
 * A token endpoint on 127.0.0.1 that answers from a script, for the faults a real
 * authorization server will not produce on demand (503s, HTML pages, broken JSON). Once the
 * script is used up it issues tokens `token-1`, `token-2`, ... valid for `expiresIn` seconds.
 */
export class ScriptedTokenServer {
  readonly requests: RecordedTokenRequest[] = [];
  expiresIn: number | undefined = 3600;
  /** Delay before every default (token) answer, in ms. */
  delayMs = 0;
  private script: ScriptedResponse[] = [];
  private issued = 0;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<ScriptedTokenServer> {
    const server = createServer();
    const instance = new ScriptedTokenServer(server);
    server.on('request', async (req, res) => {
      let text = '';
      for await (const chunk of req) text += chunk;
      instance.requests.push({
        method: req.method ?? '',
        headers: req.headers,
        form: Object.fromEntries(new URLSearchParams(text)),
      });
      const answer = instance.script.shift() ?? instance.nextToken();
      if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
      const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(body ?? '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return instance;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/token`;
  }

  /** Answers for the next requests, in order. */
  respondWith(...responses: ScriptedResponse[]): void {
    this.script.push(...responses);
  }

  get tokensIssued(): number {
    return this.issued;
  }

  reset(): void {
    this.requests.length = 0;
    this.script = [];
    this.expiresIn = 3600;
    this.delayMs = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private nextToken(): ScriptedResponse {
    this.issued += 1;
    return {
      status: 200,
      delayMs: this.delayMs,
      body: {
        access_token: `token-${this.issued}-${Math.random().toString(36).slice(2)}`,
        token_type: 'Bearer',
        ...(this.expiresIn !== undefined ? { expires_in: this.expiresIn } : {}),
      },
    };
  }
}

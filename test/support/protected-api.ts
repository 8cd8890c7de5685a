import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** What the authorization server says about a token (RFC 7662 shape: `exp` in epoch seconds). */
export interface TokenValidation {
  active: boolean;
  exp?: number;
}

export interface ProtectedApiOptions {
  /** Asks the authorization server, e.g. `(t) => oidc.introspect(t)`. */
  validate(token: string): Promise<TokenValidation>;
}

export interface ApiRequestRecord {
  path: string;
  /** The bearer token sent, if any (tests compare it; never print it). */
  token?: string;
  status: number;
  receivedAt: number;
}

/**
 * A resource server on 127.0.0.1 that accepts a request only with a bearer token the
 * authorization server vouches for (RFC 6750 §3: 401 with `WWW-Authenticate` otherwise).
 * Positive answers are cached until the token's `exp`, as real APIs do; `revoke()` ends that.
 */
export class ProtectedApi {
  readonly requests: ApiRequestRecord[] = [];
  private readonly revoked = new Set<string>();
  private readonly validated = new Map<string, Promise<TokenValidation>>();

  private constructor(
    private readonly server: Server,
    private readonly options: ProtectedApiOptions,
  ) {}

  static async start(options: ProtectedApiOptions): Promise<ProtectedApi> {
    const server = createServer();
    const api = new ProtectedApi(server, options);
    server.on('request', (req, res) => void api.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** From now on the API refuses this token, whatever the authorization server says. */
  revoke(token: string): void {
    this.revoked.add(token);
    this.validated.delete(token);
  }

  /** Whether the API accepts `token` right now (what a request with it would get). */
  async accepts(token: string): Promise<boolean> {
    if (this.revoked.has(token)) return false;
    let validation = this.validated.get(token);
    if (!validation) {
      validation = this.options.validate(token);
      this.validated.set(token, validation);
    }
    const result = await validation.catch(() => ({ active: false }) as TokenValidation);
    if (!result.active || (result.exp !== undefined && result.exp * 1000 <= Date.now())) {
      this.validated.delete(token);
      return false;
    }
    return true;
  }

  get unauthorizedCount(): number {
    return this.requests.filter((r) => r.status === 401).length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const path = (req.url ?? '/').split('?')[0];
    const match = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '');
    const token = match?.[1];
    const ok = token !== undefined && (await this.accepts(token));
    const status = ok ? 200 : 401;
    this.requests.push({ path, ...(token ? { token } : {}), status, receivedAt });
    if (!ok) {
      res.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': token ? 'Bearer error="invalid_token"' : 'Bearer',
      });
      res.end(JSON.stringify({ error: 'invalid_token' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, path }));
  }
}

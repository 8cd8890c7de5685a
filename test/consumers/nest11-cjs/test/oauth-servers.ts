import { once } from 'node:events';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * An OAuth2 token endpoint (RFC 6749 §4.4, client_secret_post or client_secret_basic) and an API
 * that accepts only the tokens it issued, on 127.0.0.1.
 */
export class OAuthServers {
  tokenRequests = 0;
  apiRequests = 0;
  private readonly issued = new Set<string>();

  private constructor(
    private readonly server: Server,
    private readonly clientId: string,
    private readonly clientSecret: string,
  ) {}

  static async start(clientId: string, clientSecret: string): Promise<OAuthServers> {
    const server = createServer();
    const servers = new OAuthServers(server, clientId, clientSecret);
    server.on(
      'request',
      (req: IncomingMessage, res: ServerResponse) => void servers.handle(req, res),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return servers;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get tokenUrl(): string {
    return `${this.baseUrl}/oauth/token`;
  }

  get apiUrl(): string {
    return `${this.baseUrl}/api`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.method === 'POST' && req.url === '/oauth/token') return this.token(req, body, res);
    if (req.url?.startsWith('/api/')) return this.api(req, res);
    send(res, 404, { error: 'not_found' });
  }

  private token(req: IncomingMessage, body: string, res: ServerResponse): void {
    this.tokenRequests += 1;
    const form = new URLSearchParams(body);
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (basic) {
      [id, secret] = Buffer.from(basic[1], 'base64')
        .toString('utf8')
        .split(':')
        .map((part) => decodeURIComponent(part));
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return send(res, 400, { error: 'unsupported_grant_type' });
    }
    if (id !== this.clientId || secret !== this.clientSecret) {
      return send(res, 401, { error: 'invalid_client' });
    }
    const accessToken = `at-${this.tokenRequests}-${Math.random().toString(36).slice(2)}`;
    this.issued.add(accessToken);
    send(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 3600 });
  }

  private api(req: IncomingMessage, res: ServerResponse): void {
    this.apiRequests += 1;
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !this.issued.has(token)) {
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      return send(res, 401, { error: 'invalid_token' });
    }
    send(res, 200, [{ id: 'o-1' }, { id: 'o-2' }]);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

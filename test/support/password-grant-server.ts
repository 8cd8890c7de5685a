import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import OAuth2Server, {
  Client,
  PasswordModel,
  RefreshToken,
  RefreshTokenModel,
  Request,
  Response,
  Token,
  User,
} from '@node-oauth/oauth2-server';

export const PASSWORD_CLIENT = { clientId: 'pw-client', clientSecret: 'pw-client-s3cret-42' };
export const PUBLIC_CLIENT = { clientId: 'pw-public-client' };
export const ALICE = { username: 'alice', password: 'al1ce-pa55word!' };

export interface PasswordGrantServerOptions {
  /** Access token lifetime in seconds. Default 60. */
  accessTokenLifetime?: number;
}

/**
 * A real RFC 6749 authorization server (@node-oauth/oauth2-server 5) with the password and
 * refresh_token grants on 127.0.0.1, counting token requests per grant type.
 */
export class PasswordGrantTestServer {
  /** Token requests seen, by `grant_type`. */
  readonly grantCounts: Record<string, number> = {};
  /** While true, every refresh token is unknown to the server (`invalid_grant`). */
  refuseRefresh = false;
  private readonly accessTokens = new Map<string, Token>();
  private readonly refreshTokens = new Map<string, RefreshToken>();

  private constructor(
    private readonly server: Server,
    private readonly oauth: OAuth2Server,
  ) {}

  static async start(options: PasswordGrantServerOptions = {}): Promise<PasswordGrantTestServer> {
    const server = createServer();
    const holder: { instance?: PasswordGrantTestServer } = {};
    const oauth = new OAuth2Server({
      model: modelFor(() => holder.instance!),
      accessTokenLifetime: options.accessTokenLifetime ?? 60,
      refreshTokenLifetime: 3600,
      requireClientAuthentication: { password: false, refresh_token: false },
    });
    const instance = new PasswordGrantTestServer(server, oauth);
    holder.instance = instance;
    server.on('request', (req, res) => void instance.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return instance;
  }

  get tokenUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/token`;
  }

  /** Introspection for the protected API: is this access token issued, unexpired and unrevoked? */
  async validate(accessToken: string): Promise<{ active: boolean; exp?: number }> {
    const token = this.accessTokens.get(accessToken);
    const expiresAt = token?.accessTokenExpiresAt?.getTime();
    if (!token || (expiresAt !== undefined && expiresAt <= Date.now())) return { active: false };
    return { active: true, ...(expiresAt ? { exp: Math.floor(expiresAt / 1000) } : {}) };
  }

  revoke(accessToken: string): void {
    this.accessTokens.delete(accessToken);
  }

  reset(): void {
    for (const key of Object.keys(this.grantCounts)) delete this.grantCounts[key];
    this.refuseRefresh = false;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** @internal the model's view of the stores */
  get stores() {
    return { accessTokens: this.accessTokens, refreshTokens: this.refreshTokens };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += chunk;
    const body = Object.fromEntries(new URLSearchParams(text));
    const grant = body.grant_type ?? '(none)';
    this.grantCounts[grant] = (this.grantCounts[grant] ?? 0) + 1;
    const request = new Request({
      method: req.method ?? 'GET',
      headers: req.headers as Record<string, string>,
      query: {},
      body,
    });
    const response = new Response({ headers: {} });
    try {
      await this.oauth.token(request, response);
    } catch {
      // The library already put the §5.2 error into `response`.
    }
    res.writeHead(response.status ?? 500, {
      'content-type': 'application/json',
      ...(response.headers ?? {}),
    });
    res.end(JSON.stringify(response.body ?? {}));
  }
}

function modelFor(server: () => PasswordGrantTestServer): PasswordModel & RefreshTokenModel {
  const clients: Record<string, { secret?: string }> = {
    [PASSWORD_CLIENT.clientId]: { secret: PASSWORD_CLIENT.clientSecret },
    [PUBLIC_CLIENT.clientId]: {},
  };
  const grants = ['password', 'refresh_token'];
  return {
    async getClient(clientId: string, clientSecret: string) {
      const client = clients[clientId];
      if (!client) return false;
      if (client.secret !== undefined && clientSecret !== client.secret) return false;
      return { id: clientId, grants } as Client;
    },
    async getUser(username: string, password: string) {
      return username === ALICE.username && password === ALICE.password
        ? ({ id: username } as User)
        : false;
    },
    async saveToken(token: Token, client: Client, user: User) {
      const saved = { ...token, client, user } as Token;
      server().stores.accessTokens.set(token.accessToken, saved);
      if (token.refreshToken) {
        server().stores.refreshTokens.set(token.refreshToken, saved as RefreshToken);
      }
      return saved;
    },
    async getAccessToken(accessToken: string) {
      return server().stores.accessTokens.get(accessToken) ?? false;
    },
    async getRefreshToken(refreshToken: string) {
      if (server().refuseRefresh) return false;
      return server().stores.refreshTokens.get(refreshToken) ?? false;
    },
    async revokeToken(token: RefreshToken) {
      return server().stores.refreshTokens.delete(token.refreshToken);
    },
    async validateScope(_user: User, _client: Client, scope?: string[]) {
      return scope && scope.length ? scope : ['profile'];
    },
  };
}

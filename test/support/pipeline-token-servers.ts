import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export const APP_CLIENT_ID = 'app-client';
export const APP_CLIENT_SECRET = 'app-secret-5f1c9a';
export const USER_NAME = 'alice';
export const USER_PASSWORD = 'pw-alice-7e2d41b9';

export interface TokenServersOptions {
  /** `expires_in` of the app and user tokens, in seconds. */
  appExpiresIn?: number;
  userExpiresIn?: number;
  /** Delay before every token answer, so concurrent callers overlap. */
  delayMs?: number;
}

/**
 * The Python docs' two-step setup on loopback: an app-token endpoint (client credentials), a
 * user-token endpoint that only answers requests carrying a valid app token, and an API that
 * only accepts user tokens it has not revoked. Every request is counted.
 */
export interface TokenServers {
  appUrl: string;
  userUrl: string;
  apiUrl: string;
  counts: { app: number; user: number; api: number };
  /** `Authorization` headers the user-token endpoint received. */
  userAuthorizations: string[];
  revokeUserTokens(): void;
  revokeAppTokens(): void;
  close(): Promise<void>;
}

export async function startTokenServers(options: TokenServersOptions = {}): Promise<TokenServers> {
  const appTokens = new Set<string>();
  const userTokens = new Set<string>();
  const counts = { app: 0, user: 0, api: 0 };
  const userAuthorizations: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const delay = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, options.delayMs ?? 0);
      timers.add(timer);
    });

  const app = await listen(async (req, res) => {
    counts.app += 1;
    const body = await readBody(req);
    await delay();
    if (body.client_id !== APP_CLIENT_ID || body.client_secret !== APP_CLIENT_SECRET) {
      return json(res, 401, { error: 'invalid_client' });
    }
    const token = `app-${counts.app}-${Math.random().toString(36).slice(2)}`;
    appTokens.add(token);
    json(res, 200, {
      access_token: token,
      token_type: 'Bearer',
      expires_in: options.appExpiresIn ?? 3600,
    });
  });

  const user = await listen(async (req, res) => {
    counts.user += 1;
    const authorization = req.headers.authorization ?? '';
    userAuthorizations.push(authorization);
    const body = await readBody(req);
    await delay();
    if (!appTokens.has(authorization.replace(/^Bearer /, ''))) {
      // RFC 6750 §3: the reason only in the challenge, as many resource servers do.
      res.setHeader('www-authenticate', 'Bearer realm="users", error="invalid_token"');
      return json(res, 401, { error_description: 'app token required' });
    }
    if (body.username !== USER_NAME || body.password !== USER_PASSWORD) {
      // Echoes the password on purpose: the client must scrub what servers send back.
      return json(res, 401, {
        error: 'invalid_grant',
        error_description: `wrong password '${String(body.password)}' for ${String(body.username)}`,
      });
    }
    const token = `user-${counts.user}-${Math.random().toString(36).slice(2)}`;
    userTokens.add(token);
    const expiresIn = options.userExpiresIn ?? 1800;
    if (req.url === '/auth/session') {
      // Header variant: the token comes back in lower-case headers, the body only has its lifetime.
      res.setHeader('x-session-token', token);
      res.setHeader('authorization', `Bearer ${token}`);
      return json(res, 200, { expires_in: expiresIn });
    }
    json(res, 200, { data: { token, kind: 'user' }, expires_in: expiresIn });
  });

  const api = await listen(async (req, res) => {
    counts.api += 1;
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!userTokens.has(token)) return json(res, 401, { error: 'invalid_token' });
    json(res, 200, { user: USER_NAME });
  });

  return {
    appUrl: app.url,
    userUrl: user.url,
    apiUrl: api.url,
    counts,
    userAuthorizations,
    revokeUserTokens: () => userTokens.clear(),
    revokeAppTokens: () => appTokens.clear(),
    close: async () => {
      // Answers still waiting on their delay are dropped with their sockets.
      timers.forEach((timer) => clearTimeout(timer));
      await Promise.all([app.close(), user.close(), api.close()]);
    },
  };
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

async function listen(handler: Handler): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    handler(req, res).catch(() => json(res, 500, { error: 'server_error' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    return JSON.parse(text) as Record<string, unknown>;
  }
  return Object.fromEntries(new URLSearchParams(text));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * The benchmark's servers, in their own process so that their CPU time is not charged to the
 * client stacks being measured:
 * - `GET /items`: a small JSON body for anyone (the overhead runs: the same server work for all).
 * - `GET /secure`: the same body for a token this server issued and has not revoked, else 401.
 * - `POST /token`: a client-credentials token endpoint that counts its requests.
 * - `/__bench/*`: counters and knobs for the parent.
 */
const ITEMS = JSON.stringify({
  items: [
    { id: 1, name: 'one' },
    { id: 2, name: 'two' },
  ],
});
const TOKEN_PREFIX = 'bench-token-';

const state = {
  tokenRequests: 0,
  issued: 0,
  /** Tokens numbered up to this one are refused. */
  revokedUpTo: 0,
  tokenDelayMs: 50,
  /** The token endpoint refuses the client: `400 invalid_client`. */
  refuseClients: false,
  unauthorized: 0,
  /** TCP connections accepted: shows whether the clients reuse them (keep-alive). */
  connections: 0,
};

function send(
  res: ServerResponse,
  status: number,
  body: string,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...extra,
  });
  res.end(body);
}

function tokenNumber(authorization: string | undefined): number | undefined {
  const match = /^Bearer (\S+)$/.exec(authorization ?? '');
  if (!match || !match[1].startsWith(TOKEN_PREFIX)) return undefined;
  const n = Number(match[1].slice(TOKEN_PREFIX.length));
  return Number.isInteger(n) ? n : undefined;
}

function secure(req: IncomingMessage, res: ServerResponse): void {
  const n = tokenNumber(req.headers.authorization);
  if (n === undefined || n <= state.revokedUpTo || n > state.issued) {
    state.unauthorized += 1;
    send(res, 401, '{"error":"invalid_token"}', {
      'www-authenticate': 'Bearer error="invalid_token"',
    });
    return;
  }
  send(res, 200, ITEMS);
}

async function token(res: ServerResponse): Promise<void> {
  state.tokenRequests += 1;
  // A real authorization server takes tens of ms: the window in which a herd piles up.
  if (state.tokenDelayMs > 0) await new Promise((r) => setTimeout(r, state.tokenDelayMs));
  if (state.refuseClients) return send(res, 400, '{"error":"invalid_client"}');
  state.issued += 1;
  send(
    res,
    200,
    JSON.stringify({
      access_token: `${TOKEN_PREFIX}${state.issued}`,
      token_type: 'Bearer',
      expires_in: 3600,
    }),
    { 'cache-control': 'no-store' },
  );
}

async function admin(path: string, body: string, res: ServerResponse): Promise<void> {
  if (path === '/__bench/stats') {
    send(res, 200, JSON.stringify(state));
  } else if (path === '/__bench/reset') {
    state.tokenRequests = 0;
    state.unauthorized = 0;
    send(res, 200, '{}');
  } else if (path === '/__bench/revoke') {
    state.revokedUpTo = state.issued;
    send(res, 200, '{}');
  } else if (path === '/__bench/config') {
    const { tokenDelayMs, refuseClients } = JSON.parse(body || '{}') as {
      tokenDelayMs?: number;
      refuseClients?: boolean;
    };
    if (typeof tokenDelayMs === 'number') state.tokenDelayMs = tokenDelayMs;
    if (typeof refuseClients === 'boolean') state.refuseClients = refuseClients;
    send(res, 200, '{}');
  } else {
    send(res, 404, '{}');
  }
}

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const path = (req.url ?? '').split('?')[0];
  if (req.method === 'GET' && path === '/items') return send(res, 200, ITEMS);
  if (req.method === 'GET' && path === '/secure') return secure(req, res);
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    if (req.method === 'POST' && path === '/token') void token(res);
    else void admin(path, body, res);
  });
});

server.on('connection', () => (state.connections += 1));
server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port });
});
process.on('message', (message: { type?: string }) => {
  if (message.type !== 'stop') return;
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));

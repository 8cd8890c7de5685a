/* global process, setTimeout */
// Runs oidc-provider (ESM-only) in its own process for test/support/oidc-server.ts.
// Config arrives as JSON in argv[2]; the listening port goes back over IPC.
import { randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';
import {
  createListeningServer,
  MTLS_CLIENT_AUTH_METHODS,
  mtlsFeature,
  protectedResource,
} from './oidc-mtls.child.mjs';

const config = JSON.parse(process.argv[2]);
const stats = { tokenRequests: 0, tokensIssued: 0, introspections: 0 };
const faults = { statuses: [], delayMs: 0 };

// With config.tls ({ cert, key, ca }): https, client certificates asked for (mTLS).
const server = createListeningServer(config.tls);
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const issuer = `${config.tls ? 'https' : 'http'}://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: config.clients,
  scopes: config.scopes,
  ...(config.tls ? { clientAuthMethods: MTLS_CLIENT_AUTH_METHODS } : {}),
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    devInteractions: { enabled: false },
    ...(config.tls ? { mTLS: mtlsFeature() } : {}),
    // RFC 9449 with a nonce demanded on every token request (config.dpop).
    dPoP: config.dpop
      ? { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true }
      : { enabled: false },
  },
  enabledJWA: {
    dPoPSigningAlgValues: ['ES256', 'ES384', 'ES512', 'PS256', 'RS256', 'EdDSA'],
    // oidc-provider's defaults plus the larger EC curves.
    clientAuthSigningAlgValues: [
      'HS256',
      'RS256',
      'PS256',
      'ES256',
      'ES384',
      'ES512',
      'Ed25519',
      'EdDSA',
    ],
  },
  ttl: { ClientCredentials: config.tokenTtlSeconds },
});
const handle = provider.callback();

async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}

function reply(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

server.on('request', async (req, res) => {
  const path = req.url.split('?')[0];
  if (path === '/__test/stats') return reply(res, 200, stats);
  if (path === '/__test/reset') {
    stats.tokenRequests = 0;
    stats.tokensIssued = 0;
    stats.introspections = 0;
    faults.statuses = [];
    faults.delayMs = 0;
    return reply(res, 200, stats);
  }
  if (path === '/__test/faults') {
    Object.assign(faults, await readJson(req));
    return reply(res, 200, faults);
  }
  if (path === '/__test/revoke') {
    const { token } = await readJson(req);
    const found = await provider.ClientCredentials.find(token);
    await found?.destroy();
    return reply(res, 200, { revoked: !!found });
  }
  if (path === '/api/resource') return protectedResource(provider, req, res);
  if (path === '/token/introspection') stats.introspections += 1;
  if (path === '/token' && req.method === 'POST') {
    stats.tokenRequests += 1;
    res.on('finish', () => {
      if (res.statusCode === 200) stats.tokensIssued += 1;
    });
    if (faults.delayMs > 0) await new Promise((r) => setTimeout(r, faults.delayMs));
    const status = faults.statuses.shift();
    if (status === 'html') {
      res.writeHead(502, { 'content-type': 'text/html' });
      return res.end('<!doctype html><html><body>Bad gateway</body></html>');
    }
    if (status !== undefined) {
      res.writeHead(status, { 'content-type': 'text/plain', 'retry-after': '0' });
      return res.end('unavailable');
    }
  }
  handle(req, res);
});

process.on('disconnect', () => process.exit(0));
process.on('message', (message) => {
  if (message !== 'close') return;
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
process.send({ port });

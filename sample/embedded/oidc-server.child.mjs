/* global process */
// Runs oidc-provider (ESM-only) in its own process for sample/embedded/oidc-server.ts.
// Config arrives as JSON in SAMPLE_OIDC_CONFIG; the listening port goes back over IPC.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const config = JSON.parse(process.env.SAMPLE_OIDC_CONFIG);
const stats = { tokenRequests: 0 };

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: config.clients,
  scopes: config.scopes,
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    devInteractions: { enabled: false },
  },
  ttl: { ClientCredentials: config.tokenTtlSeconds },
});
const handle = provider.callback();

server.on('request', (req, res) => {
  const path = req.url.split('?')[0];
  if (path === '/__sample/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify(stats));
  }
  if (path === '/token' && req.method === 'POST') stats.tokenRequests += 1;
  handle(req, res);
});

// The parent owns this process: Ctrl-C in a terminal reaches the whole process group, and the
// parent still needs the counts; it closes the child (or disconnects) when it is done.
process.on('SIGINT', () => {});
process.on('disconnect', () => process.exit(0));
process.on('message', (message) => {
  if (message !== 'close') return;
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
process.send({ port });

// One Nest app with one client, written for whichever copy of the package `forge` is (plain
// JavaScript: decorators applied by hand). It calls a bearer-protected API on 127.0.0.1.
const { once } = require('node:events');
const { createServer } = require('node:http');
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { lastValueFrom } = require('rxjs');

async function resolveAndCall(forge, label) {
  const api = createServer((req, res) => {
    const ok = req.headers.authorization === 'Bearer plain-node-token';
    res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(ok ? { path: req.url } : { error: 'invalid_token' }));
  });
  api.listen(0, '127.0.0.1');
  await once(api, 'listening');
  class AppModule {}
  Module({
    imports: [
      forge.RequestForgeModule.forRoot({
        clients: {
          orders: {
            baseUrl: `http://127.0.0.1:${api.address().port}/api`,
            auth: { type: 'bearer', token: 'plain-node-token' },
          },
        },
      }),
    ],
  })(AppModule);
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  try {
    const client = app.get(forge.getForgeClientToken('orders'));
    if (!(client instanceof forge.ForgeClient)) throw new Error(`${label}: not a ForgeClient`);
    const response = await lastValueFrom(client.get('/orders'));
    if (response.status !== 200 || response.data.path !== '/api/orders') {
      throw new Error(
        `${label}: unexpected answer ${response.status} ${JSON.stringify(response.data)}`,
      );
    }
    return app;
  } catch (error) {
    await app.close();
    throw error;
  } finally {
    api.closeAllConnections();
    api.close();
  }
}

module.exports = { resolveAndCall };

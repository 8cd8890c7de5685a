// The ESM entry through import(), resolving a client from a Nest app; then the CommonJS copy
// loaded beside it resolves the same client, since provider tokens are strings.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { resolveAndCall } = require('./app.cjs');

const forge = await import('nestjs-request-forge');
assert.match(import.meta.resolve('nestjs-request-forge'), /\/dist\/esm\/index\.js$/);
const kit = await import('nestjs-request-forge/testing');
assert.match(
  import.meta.resolve('nestjs-request-forge/testing'),
  /\/dist\/esm\/testing\/index\.js$/,
);
const endpoint = await kit.FakeTokenEndpoint.start();
assert.equal(
  (
    await fetch(endpoint.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    })
  ).status,
  200,
);
await endpoint.close();

const app = await resolveAndCall(forge, 'import()');
const cjs = require('nestjs-request-forge');
assert.notEqual(cjs.ForgeClient, forge.ForgeClient, 'two copies are loaded');
assert.ok(app.get(cjs.getForgeClientToken('orders')) instanceof forge.ForgeClient);
await app.close();
console.log(
  'import(): ESM entry resolved a client from a Nest app, and so did the CJS copy; the test kit served a token',
);

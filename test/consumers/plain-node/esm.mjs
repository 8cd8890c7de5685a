// The ESM entry through import(), resolving a client from a Nest app; then the CommonJS copy
// loaded beside it resolves the same client, since provider tokens are strings.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { resolveAndCall } = require('./app.cjs');

const forge = await import('nestjs-request-forge');
assert.match(import.meta.resolve('nestjs-request-forge'), /\/dist\/esm\/index\.js$/);
await import('nestjs-request-forge/testing');

const app = await resolveAndCall(forge, 'import()');
const cjs = require('nestjs-request-forge');
assert.notEqual(cjs.ForgeClient, forge.ForgeClient, 'two copies are loaded');
assert.ok(app.get(cjs.getForgeClientToken('orders')) instanceof forge.ForgeClient);
await app.close();
console.log('import(): ESM entry resolved a client from a Nest app, and so did the CJS copy');

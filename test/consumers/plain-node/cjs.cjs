// The CommonJS entry through require(), resolving a client from a Nest app.
require('reflect-metadata');
const assert = require('node:assert/strict');
const { resolveAndCall } = require('./app.cjs');

async function main() {
  assert.match(require.resolve('nestjs-request-forge'), /\/dist\/cjs\/index\.js$/);
  require('nestjs-request-forge/testing');
  const app = await resolveAndCall(require('nestjs-request-forge'), 'require()');
  await app.close();
  console.log('require(): CJS entry resolved a client from a Nest app');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

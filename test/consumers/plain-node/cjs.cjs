// The CommonJS entry through require(), resolving a client from a Nest app.
require('reflect-metadata');
const assert = require('node:assert/strict');
const { resolveAndCall } = require('./app.cjs');

async function main() {
  assert.match(require.resolve('nestjs-request-forge'), /\/dist\/cjs\/index\.js$/);
  const kit = require('nestjs-request-forge/testing');
  assert.match(require.resolve('nestjs-request-forge/testing'), /\/dist\/cjs\/testing\/index\.js$/);
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
  const app = await resolveAndCall(require('nestjs-request-forge'), 'require()');
  await app.close();
  console.log(
    'require(): CJS entry resolved a client from a Nest app; the test kit served a token',
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

import { createPrivateKey, generateKeyPairSync, JsonWebKey } from 'node:crypto';
import { ForgeClientOptions } from '../../lib';
import { createTestPki, TestPki } from '../support/test-pki';
import {
  EchoingTokenEndpoint,
  echoIn500,
  echoInHtml502,
  respond as send,
  startEchoingTokenEndpoint,
} from './echoing-token-endpoint';
import { LeakHarness } from './leak-harness';

const JWT_SECRET = 'client-secret-jwt-s3cret-0123456789abcdef';
const PASSPHRASE = 'cert-key-passphrase-9f8e7d';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** The base64 lines of a PEM, each a piece of the key. */
function pemLines(pem: string): string[] {
  return pem.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----'));
}

/** The private members of a JWK. */
function privateJwkParts(jwk: JsonWebKey): string[] {
  return ['d', 'p', 'q', 'dp', 'dq', 'qi'].map((k) => jwk[k]).filter((v): v is string => !!v);
}

interface Case {
  kind: string;
  tls: boolean;
  auth(tokenUrl: string, pki: TestPki): ForgeClientOptions['auth'];
  secrets(pki: TestPki): string[];
}

const rsaPem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const ecJwk = ec.privateKey.export({ format: 'jwk' });

const cases: Case[] = [
  {
    kind: 'private_key_jwt (PEM)',
    tls: false,
    auth: (tokenUrl) => ({
      type: 'client-credentials',
      tokenUrl,
      clientId: 'pkjwt',
      authMethod: 'private_key_jwt',
      privateKey: rsaPem,
      keyId: 'k1',
    }),
    secrets: () => pemLines(rsaPem),
  },
  {
    kind: 'private_key_jwt (JWK), password grant',
    tls: false,
    auth: (tokenUrl) => ({
      type: 'password',
      tokenUrl,
      clientId: 'pkjwt-pw',
      username: 'bob',
      password: 'user-passw0rd-31',
      authMethod: 'private_key_jwt',
      privateKey: ecJwk,
    }),
    secrets: () => [...privateJwkParts(ecJwk), 'user-passw0rd-31'],
  },
  {
    kind: 'client_secret_jwt',
    tls: false,
    auth: (tokenUrl) => ({
      type: 'client-credentials',
      tokenUrl,
      clientId: 'csjwt',
      clientSecret: JWT_SECRET,
      authMethod: 'client_secret_jwt',
    }),
    secrets: () => [JWT_SECRET],
  },
  {
    kind: 'tls_client_auth (encrypted certificate key)',
    tls: true,
    auth: (tokenUrl, pki) => ({
      type: 'client-credentials',
      tokenUrl,
      clientId: 'mtls',
      authMethod: 'tls_client_auth',
      clientCertificate: {
        cert: pki.client.cert,
        key: encrypted(pki.client.key),
        passphrase: PASSPHRASE,
        ca: pki.ca,
      },
    }),
    secrets: (pki) => [
      ...pemLines(pki.client.key),
      ...pemLines(encrypted(pki.client.key)),
      PASSPHRASE,
    ],
  },
];

const encryptedKeys = new Map<string, string>();
function encrypted(pem: string): string {
  const known = encryptedKeys.get(pem);
  if (known) return known;
  const out = createPrivateKey(pem).export({
    type: 'pkcs8',
    format: 'pem',
    cipher: 'aes-256-cbc',
    passphrase: PASSPHRASE,
  }) as string;
  encryptedKeys.set(pem, out);
  return out;
}

describe('no key, assertion or certificate key leaks with client authentication beyond secrets', () => {
  let pki: TestPki;
  let endpoint: EchoingTokenEndpoint;
  let leaks: LeakHarness;

  beforeAll(async () => {
    pki = await createTestPki();
  });
  afterEach(async () => {
    await leaks.close();
    await endpoint.server.close();
  });

  it.each(cases)(
    '$kind: refusals echoing the request, 5xx, HTML, and an API echoing the token',
    async ({ kind, tls, auth, secrets }) => {
      endpoint = await startEchoingTokenEndpoint('ca-token', tls ? pki : undefined);
      leaks = new LeakHarness();
      leaks.addSecrets(...secrets(pki));
      const { server, queue } = endpoint;
      const client = await leaks.client(`leak-${kind.split(' ')[0]}`, {
        baseUrl: `${server.url}/api`,
        storage: 'memory',
        timeout: 2_000,
        failureBackoff: { initial: 0, max: 0 },
        auth: auth(`${server.url}/token`, pki),
      });
      const call = (url: string) => leaks.failure(client, { method: 'GET', url });

      queue.push((request, res) =>
        send(400, {
          error: 'invalid_client',
          error_description: `refused ${request.body}`,
          received: request.body,
        })(request, res),
      );
      expect(await call('/ok')).toMatchObject({ error: 'invalid_client', status: 400 });
      // The assertion's signature alone, outside any key=value a redactor would recognise.
      queue.push((request, res) => {
        const assertion = new URLSearchParams(request.body).get('client_assertion');
        const bare = assertion?.split('.')[2] ?? request.body;
        send(401, { error: 'invalid_client', error_description: `signature ${bare} is bad` })(
          request,
          res,
        );
      });
      expect(await call('/ok')).toMatchObject({ error: 'invalid_client', status: 401 });
      queue.push(echoIn500, echoInHtml502, echoIn500);
      expect(await call('/ok')).toMatchObject({ name: 'AuthenticationException', status: 500 });
      queue.push(send(200, '<html>not json</html>', 'text/html'));
      await call('/ok');
      expect(await call('/500')).toMatchObject({ name: 'HttpStatusException', status: 500 });

      // Control: the assertions (or certificate) travelled, the token endpoint saw them all.
      const tokenRequests = server.requests.filter((r) => r.path === '/token');
      expect(tokenRequests).toHaveLength(7);
      const assertions = tokenRequests
        .map((r) => new URLSearchParams(r.body).get('client_assertion'))
        .filter((a): a is string => !!a);
      expect(assertions).toHaveLength(tls ? 0 : 7);
      // An assertion is a credential for its 60 s; its signature is what cannot be forged.
      leaks.addSecrets(...assertions, ...assertions.map((a) => a.split('.')[2]));
      leaks.addSecrets('ca-token-1-abcdef');
      leaks.expectDetects(secrets(pki)[0]);
      leaks.expectHeadersAndBodiesLogged();
      leaks.expectClean();
    },
    30_000,
  );
});

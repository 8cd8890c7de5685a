import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { ClientCredentialsTokenProvider } from '../../lib';
import { renderings } from '../support/secrets';
import { createTestPki, TestPki } from '../support/test-pki';
import { configurationError } from '../support/bootstrap-error';

const TOKEN_URL = 'https://idp.example.com/oauth/token';
const pem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }) as string;
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const smallRsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
const k256 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
const ed = generateKeyPairSync('ed25519');
/** Looks like a key, is none; its body must never be quoted. */
const BROKEN_KEY =
  '-----BEGIN PRIVATE KEY-----\nTk9UQUtFWS1zZWNyZXQtbWF0ZXJpYWwtMTIzNDU2Nzg5\n-----END PRIVATE KEY-----\n';

/** The base64 lines of a PEM: what would leak if a message quoted it. */
function pemBody(text: string): string[] {
  return text.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----'));
}

const bootstrapError = (auth: Record<string, unknown>) =>
  configurationError({ svc: { baseUrl: 'https://api.example.com', auth } });

describe('client authentication misconfiguration fails at bootstrap, naming the field, quoting no key', () => {
  let pki: TestPki;

  beforeAll(async () => {
    pki = await createTestPki();
  });

  const cc = (extra: Record<string, unknown>) => ({
    type: 'client-credentials',
    tokenUrl: TOKEN_URL,
    clientId: 'svc-id',
    ...extra,
  });

  type Case = [string, () => Record<string, unknown>, string, string];
  const cases: Case[] = [
    [
      'private_key_jwt without a privateKey',
      () => cc({ authMethod: 'private_key_jwt' }),
      'auth.privateKey',
      "is required with authMethod 'private_key_jwt'",
    ],
    [
      'a privateKey that does not parse',
      () => cc({ authMethod: 'private_key_jwt', privateKey: BROKEN_KEY }),
      'auth.privateKey',
      'is not a PEM or JWK private key',
    ],
    [
      'a public key given as privateKey',
      () =>
        cc({
          authMethod: 'private_key_jwt',
          privateKey: rsa.publicKey.export({ type: 'spki', format: 'pem' }),
        }),
      'auth.privateKey',
      'is not a PEM or JWK private key',
    ],
    [
      'a JWK without its private part',
      () =>
        cc({ authMethod: 'private_key_jwt', privateKey: rsa.publicKey.export({ format: 'jwk' }) }),
      'auth.privateKey',
      'is not a PEM or JWK private key',
    ],
    [
      'an algorithm that does not match the key',
      () =>
        cc({ authMethod: 'private_key_jwt', privateKey: pem(rsa.privateKey), algorithm: 'ES256' }),
      'auth.algorithm',
      "'ES256' does not match the privateKey (an RSA key of 2048 bits: RS256 or PS256)",
    ],
    [
      'EdDSA asked of an RSA key given as JWK',
      () =>
        cc({
          authMethod: 'private_key_jwt',
          privateKey: rsa.privateKey.export({ format: 'jwk' }),
          algorithm: 'EdDSA',
        }),
      'auth.algorithm',
      "'EdDSA' does not match the privateKey (an RSA key of 2048 bits: RS256 or PS256)",
    ],
    [
      'an EC key on a curve JWS has no algorithm for here (secp256k1)',
      () => cc({ authMethod: 'private_key_jwt', privateKey: pem(k256.privateKey) }),
      'auth.privateKey',
      'is an EC key on secp256k1; use RSA, EC P-256, P-384, P-521 or Ed25519',
    ],
    [
      'an RSA key under 2048 bits',
      () => cc({ authMethod: 'private_key_jwt', privateKey: pem(smallRsa.privateKey) }),
      'auth.privateKey',
      'is an RSA key of 1024 bits; RSA keys must have at least 2048 bits',
    ],
    [
      'an unknown algorithm',
      () =>
        cc({ authMethod: 'private_key_jwt', privateKey: pem(ed.privateKey), algorithm: 'RS512' }),
      'auth.algorithm',
      "must be one of 'RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA'",
    ],
    [
      'a client secret next to private_key_jwt',
      () =>
        cc({
          authMethod: 'private_key_jwt',
          privateKey: pem(ed.privateKey),
          clientSecret: 'unused-s3cret-value',
        }),
      'auth.clientSecret',
      "is not used with authMethod 'private_key_jwt'; remove it",
    ],
    [
      'a privateKey with a secret method',
      () => cc({ clientSecret: 'a-s3cret-value', privateKey: pem(ed.privateKey) }),
      'auth.privateKey',
      "applies to authMethod 'private_key_jwt' only",
    ],
    [
      'an assertionCertificate with a secret method',
      () => cc({ clientSecret: 'a-s3cret-value', assertionCertificate: pki.client.cert }),
      'auth.assertionCertificate',
      "applies to authMethod 'private_key_jwt' only",
    ],
    [
      'an assertionCertificate that does not parse',
      () =>
        cc({
          authMethod: 'private_key_jwt',
          privateKey: pki.client.key,
          assertionCertificate: BROKEN_KEY,
        }),
      'auth.assertionCertificate',
      'is not a PEM certificate',
    ],
    [
      "an assertionCertificate that is not the privateKey's",
      () =>
        cc({
          authMethod: 'private_key_jwt',
          privateKey: pki.otherClient.key,
          assertionCertificate: pki.client.cert,
        }),
      'auth.assertionCertificate',
      'is not the certificate of privateKey',
    ],
    [
      'keyId without an assertion method',
      () => cc({ authMethod: 'header', clientSecret: 'a-s3cret-value', keyId: 'k1' }),
      'auth.keyId',
      "applies to authMethod 'client_secret_jwt' or 'private_key_jwt' only",
    ],
    [
      'client_secret_jwt without a client secret',
      () => cc({ authMethod: 'client_secret_jwt' }),
      'auth.clientSecret',
      'is required',
    ],
    [
      'client_secret_jwt with a secret shorter than HS256 needs',
      () => cc({ authMethod: 'client_secret_jwt', clientSecret: 'short-s3cret-value' }),
      'auth.clientSecret',
      "must be at least 32 bytes for authMethod 'client_secret_jwt' (HS256)",
    ],
    [
      'client_secret_jwt with an asymmetric algorithm',
      () =>
        cc({
          authMethod: 'client_secret_jwt',
          clientSecret: 'a-client-secret-of-at-least-32-bytes!',
          algorithm: 'RS256',
        }),
      'auth.algorithm',
      "must be one of 'HS256'",
    ],
    [
      'an unknown authMethod',
      () => cc({ authMethod: 'client_secret_basic', clientSecret: 'a-s3cret-value' }),
      'auth.authMethod',
      "must be one of 'body', 'header', 'client_secret_jwt', 'private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth'",
    ],
    [
      'tls_client_auth without a clientCertificate',
      () => cc({ authMethod: 'tls_client_auth' }),
      'auth.clientCertificate',
      "is required with authMethod 'tls_client_auth'",
    ],
    [
      'self_signed_tls_client_auth without a clientCertificate',
      () => cc({ authMethod: 'self_signed_tls_client_auth' }),
      'auth.clientCertificate',
      "is required with authMethod 'self_signed_tls_client_auth'",
    ],
    [
      'tls_client_auth to a plain-http token endpoint',
      () =>
        cc({
          authMethod: 'tls_client_auth',
          tokenUrl: 'http://127.0.0.1:8080/token',
          clientCertificate: { cert: pki.client.cert, key: pki.client.key },
        }),
      'auth.tokenUrl',
      "must use https with authMethod 'tls_client_auth'",
    ],
    [
      'a certificate that does not parse',
      () =>
        cc({
          authMethod: 'tls_client_auth',
          clientCertificate: { cert: BROKEN_KEY, key: pki.client.key },
        }),
      'auth.clientCertificate.cert',
      'is not a PEM certificate',
    ],
    [
      'a certificate key that does not parse',
      () =>
        cc({
          authMethod: 'tls_client_auth',
          clientCertificate: { cert: pki.client.cert, key: BROKEN_KEY },
        }),
      'auth.clientCertificate.key',
      'is not a PEM private key (or the passphrase does not open it)',
    ],
    [
      "a key that is not the certificate's",
      () =>
        cc({
          authMethod: 'tls_client_auth',
          clientCertificate: { cert: pki.client.cert, key: pki.otherClient.key },
        }),
      'auth.clientCertificate.key',
      'does not belong to clientCertificate.cert',
    ],
    [
      'a ca that is not a certificate',
      () =>
        cc({
          authMethod: 'tls_client_auth',
          clientCertificate: { cert: pki.client.cert, key: pki.client.key, ca: BROKEN_KEY },
        }),
      'auth.clientCertificate.ca',
      'is not a PEM certificate bundle',
    ],
    [
      'a typo in the certificate options',
      () =>
        cc({
          authMethod: 'tls_client_auth',
          clientCertificate: { cert: pki.client.cert, key: pki.client.key, pasphrase: 'x' },
        }),
      'auth.clientCertificate.pasphrase',
      'is not a known option (did you mean "passphrase"?)',
    ],
    [
      'a password client with tls_client_auth and no certificate',
      () => ({
        type: 'password',
        tokenUrl: TOKEN_URL,
        clientId: 'svc-id',
        username: 'u',
        password: 'user-passw0rd',
        authMethod: 'tls_client_auth',
      }),
      'auth.clientCertificate',
      "is required with authMethod 'tls_client_auth'",
    ],
  ];

  it.each(cases)('%s', async (_name, auth, field, problem) => {
    const options = auth();
    const error = await bootstrapError(options);
    expect(error.message).toBe(`Client "svc": ${field} ${problem}`);
    expect(error).toMatchObject({ field, clientName: 'svc' });
    const secrets = [
      ...pemBody(BROKEN_KEY),
      ...pemBody(pem(rsa.privateKey)),
      ...pemBody(pki.client.key),
      ...pemBody(pki.otherClient.key),
      'unused-s3cret-value',
      'short-s3cret-value',
      'user-passw0rd',
    ];
    const text = renderings(error).join('\n');
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('the providers check the same options, named after the class', () => {
    expect(
      () =>
        new ClientCredentialsTokenProvider({
          tokenUrl: TOKEN_URL,
          clientId: 'svc-id',
          serviceName: 'svc',
          authMethod: 'private_key_jwt',
          privateKey: pem(rsa.privateKey),
          algorithm: 'ES256',
        }),
    ).toThrow(
      "ClientCredentialsTokenProvider: algorithm 'ES256' does not match the privateKey (an RSA key of 2048 bits: RS256 or PS256)",
    );
  });

  it('an encrypted certificate key opens with its passphrase, and not without it', async () => {
    const { createPrivateKey } = await import('node:crypto');
    const encrypted = createPrivateKey(pki.client.key).export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'key-passphrase-42',
    }) as string;
    const certificate = { cert: pki.client.cert, key: encrypted };
    const provider = (passphrase?: string) =>
      new ClientCredentialsTokenProvider({
        tokenUrl: TOKEN_URL,
        clientId: 'svc-id',
        serviceName: 'svc',
        authMethod: 'tls_client_auth',
        clientCertificate: { ...certificate, ...(passphrase ? { passphrase } : {}) },
      });
    expect(() => provider('key-passphrase-42')).not.toThrow();
    expect(() => provider()).toThrow('clientCertificate.key is not a PEM private key');
    expect(() => provider('wrong-passphrase')).toThrow(
      'clientCertificate.key is not a PEM private key',
    );
  });
});

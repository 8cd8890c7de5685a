import { Test, TestingModule } from '@nestjs/testing';
import { createHmac, generateKeyPairSync, KeyObject, verify, X509Certificate } from 'node:crypto';
import { lastValueFrom } from 'rxjs';
import {
  ClientCredentialsTokenProvider,
  ForgeClient,
  getForgeClientToken,
  RequestForgeModule,
} from '../../lib';
import { useLogCapture } from '../support/log-capture';
import { json, RecordedRequest, RecordingServer } from '../support/recording-server';
import { createTestPki } from '../support/test-pki';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }) as string;

interface Jwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: Buffer;
  signature: Buffer;
}

function decode(jwt: string): Jwt {
  const [header, payload, signature] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
    signingInput: Buffer.from(`${header}.${payload}`),
    signature: Buffer.from(signature, 'base64url'),
  };
}

const formOf = (request: RecordedRequest) => new URLSearchParams(request.body);

/** A token endpoint and API on one server: 503 for the first `failures` token requests. */
async function startServer(failures = 0): Promise<RecordingServer> {
  let left = failures;
  let issued = 0;
  return RecordingServer.start((_req, res, recorded) => {
    if (recorded.path !== '/token') return json(res, 200, { path: recorded.path });
    if (left-- > 0) return json(res, 503, { error: 'temporarily_unavailable' });
    issued += 1;
    json(res, 200, { access_token: `issued-${issued}`, token_type: 'Bearer', expires_in: 3600 });
  });
}

describe('client assertions as sent (RFC 7523 §2.2, §3)', () => {
  let server: RecordingServer;
  let moduleRef: TestingModule | undefined;
  useLogCapture();

  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
    await server.close();
  });

  it('private_key_jwt: iss = sub = clientId, aud = tokenUrl, a UUID jti, exp = iat + 60, the kid; it verifies with the public key', async () => {
    server = await startServer();
    const tokenUrl = `${server.url}/token`;
    const provider = new ClientCredentialsTokenProvider({
      tokenUrl,
      clientId: 'orders-service',
      serviceName: 'orders',
      authMethod: 'private_key_jwt',
      privateKey: pem(rsa.privateKey),
      keyId: 'key-2024',
      scope: 'orders:read',
    });
    const before = Math.floor(Date.now() / 1000);
    await provider.fetchToken();
    const [request] = server.requests;
    const form = formOf(request);
    expect(request.headers.authorization).toBeUndefined();
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('client_id')).toBe('orders-service');
    expect(form.get('client_assertion_type')).toBe(JWT_BEARER);
    expect(form.has('client_secret')).toBe(false);
    const jwt = decode(form.get('client_assertion') as string);
    expect(jwt.header).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'key-2024' });
    expect(jwt.payload).toMatchObject({
      iss: 'orders-service',
      sub: 'orders-service',
      aud: tokenUrl,
    });
    expect(jwt.payload.jti).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const iat = jwt.payload.iat as number;
    expect(iat).toBeGreaterThanOrEqual(before);
    expect(jwt.payload.exp).toBe(iat + 60);
    expect(verify('sha256', jwt.signingInput, rsa.publicKey, jwt.signature)).toBe(true);
  });

  it('private_key_jwt with assertionCertificate: the header names the certificate by its SHA-256 and SHA-1 thumbprints', async () => {
    server = await startServer();
    const pki = await createTestPki('CN=orders-service');
    const certificate = new X509Certificate(pki.client.cert);
    const provider = new ClientCredentialsTokenProvider({
      tokenUrl: `${server.url}/token`,
      clientId: 'orders-service',
      serviceName: 'orders',
      authMethod: 'private_key_jwt',
      privateKey: pki.client.key,
      assertionCertificate: pki.client.cert,
    });
    await provider.fetchToken();
    const jwt = decode(formOf(server.requests[0]).get('client_assertion') as string);
    // Node prints fingerprints as colon-separated hex; the header carries them base64url.
    const base64url = (fingerprint: string) =>
      Buffer.from(fingerprint.replace(/:/g, ''), 'hex').toString('base64url');
    expect(jwt.header).toEqual({
      alg: 'ES256',
      typ: 'JWT',
      'x5t#S256': base64url(certificate.fingerprint256),
      x5t: base64url(certificate.fingerprint),
    });
    const signedWithCertificateKey = verify(
      'sha256',
      jwt.signingInput,
      { key: certificate.publicKey, dsaEncoding: 'ieee-p1363' },
      jwt.signature,
    );
    expect(signedWithCertificateKey).toBe(true);
  });

  it.each([
    ['P-384', 'ES384', 'sha384', 96],
    ['P-521', 'ES512', 'sha512', 132],
  ] as const)(
    'private_key_jwt with an EC %s key signs %s: R || S over %s, %i bytes',
    async (curve, algorithm, digest, length) => {
      server = await startServer();
      const pair = generateKeyPairSync('ec', { namedCurve: curve });
      const provider = new ClientCredentialsTokenProvider({
        tokenUrl: `${server.url}/token`,
        clientId: 'orders-service',
        serviceName: 'orders',
        authMethod: 'private_key_jwt',
        privateKey: pem(pair.privateKey),
      });
      await provider.fetchToken();
      const jwt = decode(formOf(server.requests[0]).get('client_assertion') as string);
      expect(jwt.header.alg).toBe(algorithm);
      expect(jwt.signature).toHaveLength(length);
      const key = { key: pair.publicKey, dsaEncoding: 'ieee-p1363' as const };
      expect(verify(digest, jwt.signingInput, key, jwt.signature)).toBe(true);
    },
  );

  it('client_secret_jwt: an HS256 MAC with the secret, which itself is never sent', async () => {
    server = await startServer();
    const secret = 'a-client-secret-of-at-least-32-bytes!';
    const provider = new ClientCredentialsTokenProvider({
      tokenUrl: `${server.url}/token`,
      clientId: 'hs-client',
      clientSecret: secret,
      serviceName: 'hs',
      authMethod: 'client_secret_jwt',
    });
    await provider.fetchToken();
    const [request] = server.requests;
    expect(request.body).not.toContain(encodeURIComponent(secret));
    expect(request.headers.authorization).toBeUndefined();
    const jwt = decode(formOf(request).get('client_assertion') as string);
    expect(jwt.header).toEqual({ alg: 'HS256', typ: 'JWT' });
    const mac = createHmac('sha256', secret).update(jwt.signingInput).digest();
    expect(jwt.signature.equals(mac)).toBe(true);
  });

  it('a retried attempt (after a 503) signs a new assertion with a new jti', async () => {
    server = await startServer(2);
    const provider = new ClientCredentialsTokenProvider({
      tokenUrl: `${server.url}/token`,
      clientId: 'retrying',
      serviceName: 'retrying',
      authMethod: 'private_key_jwt',
      privateKey: pem(ec.privateKey),
    });
    await provider.fetchToken();
    expect(server.requests).toHaveLength(3);
    const assertions = server.requests.map((r) => formOf(r).get('client_assertion') as string);
    expect(new Set(assertions).size).toBe(3);
    expect(new Set(assertions.map((a) => decode(a).payload.jti)).size).toBe(3);
    for (const assertion of assertions) {
      const jwt = decode(assertion);
      expect(jwt.header.alg).toBe('ES256');
      const signature = { key: ec.publicKey, dsaEncoding: 'ieee-p1363' as const };
      expect(verify('sha256', jwt.signingInput, signature, jwt.signature)).toBe(true);
    }
  });

  it('a module password client with private_key_jwt sends the user, the password and an assertion', async () => {
    server = await startServer();
    moduleRef = await Test.createTestingModule({
      imports: [
        RequestForgeModule.forRoot({
          clients: {
            crm: {
              baseUrl: server.url,
              auth: {
                type: 'password',
                tokenUrl: `${server.url}/token`,
                clientId: 'crm-backend',
                username: 'integration@example.com',
                password: 'user-passw0rd',
                authMethod: 'private_key_jwt',
                privateKey: ec.privateKey.export({ format: 'jwk' }),
                assertionAudience: 'https://idp.example.com',
              },
            },
          },
        }),
      ],
    }).compile();
    const client = moduleRef.get<ForgeClient>(getForgeClientToken('crm'));
    await lastValueFrom(client.get('/contacts'));
    const [tokenRequest, apiRequest] = server.requests;
    const form = formOf(tokenRequest);
    expect(form.get('grant_type')).toBe('password');
    expect(form.get('username')).toBe('integration@example.com');
    expect(form.get('password')).toBe('user-passw0rd');
    expect(form.get('client_assertion_type')).toBe(JWT_BEARER);
    expect(decode(form.get('client_assertion') as string).payload.aud).toBe(
      'https://idp.example.com',
    );
    expect(apiRequest.headers.authorization).toBe('Bearer issued-1');
  });
});

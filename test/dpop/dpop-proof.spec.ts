import { inspect } from 'node:util';
import { lastValueFrom } from 'rxjs';
import {
  AuthenticationException,
  ClientCredentialsTokenProvider,
  ForgeClient,
  HttpClientConfigBuilder,
  InMemoryTokenStorage,
  TokenData,
  TokenManager,
} from '../../lib';
import { dpopSessionOf } from '../../lib/auth/dpop-session';
import { defaultRedactor } from '../../lib/errors/redaction';
import { checkDpopProof } from '../support/dpop-proof-check';
import { RecordingServer } from '../support/recording-server';

const provider = () =>
  new ClientCredentialsTokenProvider({
    tokenUrl: 'http://127.0.0.1:1/token',
    clientId: 'app',
    clientSecret: 'app-s3cret-value',
    serviceName: 'proofs',
    dpop: {},
  });

const decode = (part: string) =>
  JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('DPoP proofs (RFC 9449 §4.2)', () => {
  it('carry typ, alg and the public jwk only; htu without query or fragment; a new jti each', () => {
    const session = dpopSessionOf(provider())!;

    const first = session.proof('get', 'https://api.example.com/v1/orders?page=2#top', 'tok-1');
    const second = session.proof('GET', 'https://api.example.com/v1/orders', 'tok-1');

    const [header, payload] = first.split('.').map((part, i) => (i < 2 ? decode(part) : part));
    expect(header).toEqual({
      typ: 'dpop+jwt',
      alg: 'ES256',
      jwk: { crv: 'P-256', kty: 'EC', x: expect.any(String), y: expect.any(String) },
    });
    expect(payload).toEqual({
      jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      htm: 'GET',
      htu: 'https://api.example.com/v1/orders',
      iat: expect.any(Number),
      ath: expect.any(String),
    });
    const seenJti = new Set<string>();
    const expected = { method: 'GET', url: 'https://api.example.com/v1/orders', seenJti };
    for (const proof of [first, second]) {
      expect(checkDpopProof(proof, { ...expected, accessToken: 'tok-1' })).toMatchObject({
        jkt: session.thumbprint,
      });
    }
  });

  it('a session shows its algorithm and thumbprint, never its key', () => {
    const session = dpopSessionOf(provider())!;
    expect(inspect(session, { depth: null })).toBe(`DpopSession(ES256, jkt=${session.thumbprint})`);
    expect(JSON.stringify(session)).toBe(`{"algorithm":"ES256","jkt":"${session.thumbprint}"}`);
  });

  it('a DPoP credential in free text and the DPoP header are redacted', () => {
    expect(defaultRedactor.text('sent DPoP eyJhbGciOi.abc-def_ghi')).toBe('sent DPoP ***');
    expect(defaultRedactor.text('DPoP error="use_dpop_nonce", algs="ES256"')).toBe(
      'DPoP error="use_dpop_nonce", algs="ES256"',
    );
    expect(defaultRedactor.headers({ DPoP: 'eyJ.proof.sig' })).toEqual({ DPoP: '***' });
  });
});

describe('a client configured for DPoP never sends a bearer token', () => {
  let api: RecordingServer;

  beforeAll(async () => {
    api = await RecordingServer.start();
  });
  afterAll(() => api.close());

  it('a Bearer token found in the storage fails the call before anything is sent', async () => {
    const storage = new InMemoryTokenStorage();
    const manager = new TokenManager(provider(), storage);
    await storage.set(
      manager.storageKey,
      new TokenData({ accessToken: 'bearer-token-value', tokenType: 'Bearer' }),
    );
    const client = new ForgeClient(
      new HttpClientConfigBuilder('proofs').withBaseUrl(api.url).withTokenAuth(manager).build(),
    );

    const error = await lastValueFrom(client.get('/orders')).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthenticationException);
    expect(error).toMatchObject({ serviceName: 'proofs', error: 'invalid_token_type' });
    expect(api.requests).toHaveLength(0);
    await client.close();
  });
});

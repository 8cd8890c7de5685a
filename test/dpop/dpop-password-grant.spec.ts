import { IncomingMessage, ServerResponse } from 'node:http';
import {
  AuthenticationException,
  ClientCredentialsTokenProvider,
  ConfigurationException,
  PasswordGrantTokenProvider,
} from '../../lib';
import { dpopSessionOf } from '../../lib/auth/dpop-session';
import { checkDpopProof } from '../support/dpop-proof-check';
import { json, RecordedRequest, RecordingServer } from '../support/recording-server';

/** What the scripted token endpoint saw in each request's proof. */
interface SeenProof {
  grantType: string | null;
  jkt?: string;
  nonce?: string;
  error?: string;
}

/**
 * A token endpoint that binds tokens as RFC 9449 §5 says and demands its nonce (§8): a request
 * whose proof lacks the current nonce gets 400 `use_dpop_nonce` with a `DPoP-Nonce`.
 */
function dpopTokenEndpoint(seen: SeenProof[], nonce: () => string, tokenUrl: () => string) {
  const seenJti = new Set<string>();
  let issued = 0;
  return (_req: IncomingMessage, res: ServerResponse, recorded: RecordedRequest) => {
    const form = new URLSearchParams(recorded.body);
    const entry: SeenProof = { grantType: form.get('grant_type') };
    seen.push(entry);
    const proof = recorded.headers.dpop;
    const checked =
      typeof proof === 'string'
        ? checkDpopProof(proof, { method: 'POST', url: tokenUrl(), seenJti })
        : { error: 'no proof' };
    if ('error' in checked) {
      entry.error = checked.error;
      return json(res, 400, { error: 'invalid_dpop_proof' });
    }
    entry.jkt = checked.jkt;
    if (checked.nonce !== undefined) entry.nonce = checked.nonce;
    if (checked.nonce !== nonce()) {
      entry.error = 'use_dpop_nonce';
      return json(res, 400, { error: 'use_dpop_nonce' }, { 'DPoP-Nonce': nonce() });
    }
    issued += 1;
    json(
      res,
      200,
      {
        access_token: `dpop-access-${issued}-${'x'.repeat(20)}`,
        token_type: 'DPoP',
        expires_in: 300,
        refresh_token: `dpop-refresh-${issued}-${'y'.repeat(20)}`,
      },
      { 'DPoP-Nonce': nonce() },
    );
  };
}

describe('DPoP with the password grant and its refresh (RFC 9449 §5, §8)', () => {
  let server: RecordingServer;
  let currentNonce = 'token-nonce-1';
  const seen: SeenProof[] = [];

  beforeAll(async () => {
    server = await RecordingServer.start();
    server.handle(
      dpopTokenEndpoint(
        seen,
        () => currentNonce,
        () => `${server.url}/token`,
      ),
    );
  });
  afterAll(() => server.close());
  beforeEach(() => {
    seen.length = 0;
    server.requests.length = 0;
    currentNonce = `token-nonce-${Date.now()}`;
    server.handle(
      dpopTokenEndpoint(
        seen,
        () => currentNonce,
        () => `${server.url}/token`,
      ),
    );
  });

  const provider = () =>
    new PasswordGrantTokenProvider({
      // htu is the token URL without its query (RFC 9449 §4.2).
      tokenUrl: `${server.url}/token?tenant=t1`,
      clientId: 'pw-client',
      username: 'alice',
      password: 'al1ce-pa55word!',
      serviceName: 'dpop-pw',
      dpop: { algorithm: 'EdDSA' },
    });

  it('password grant: one nonce retry, then a DPoP token; the refresh signs with the same key and nonce', async () => {
    const pw = provider();
    const jkt = dpopSessionOf(pw)!.thumbprint;

    const token = await pw.fetchToken();
    const renewed = await pw.refreshToken(token);

    expect(token.tokenType).toBe('DPoP');
    expect(renewed.tokenType).toBe('DPoP');
    expect(renewed.accessToken).not.toBe(token.accessToken);
    expect(seen).toEqual([
      { grantType: 'password', jkt, error: 'use_dpop_nonce' },
      { grantType: 'password', jkt, nonce: currentNonce },
      // The nonce is remembered: the refresh is not challenged.
      { grantType: 'refresh_token', jkt, nonce: currentNonce },
    ]);
  });

  it('a second nonce challenge within one attempt is the token request’s failure', async () => {
    const pw = provider();
    // Every request is told of a newer nonce: the one retry cannot satisfy the server.
    server.handle(
      dpopTokenEndpoint(
        seen,
        () => `rotating-${server.requests.length}`,
        () => `${server.url}/token`,
      ),
    );

    const error = await pw.fetchToken().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthenticationException);
    expect(error).toMatchObject({ serviceName: 'dpop-pw', error: 'use_dpop_nonce', status: 400 });
    expect(seen.map((s) => s.error)).toEqual(['use_dpop_nonce', 'use_dpop_nonce']);
    server.handle(
      dpopTokenEndpoint(
        seen,
        () => currentNonce,
        () => `${server.url}/token`,
      ),
    );
  });
});

describe('DPoP options on providers built in code', () => {
  it('names the provider and field, never the key', () => {
    const build = () =>
      new ClientCredentialsTokenProvider({
        tokenUrl: 'https://idp.example/token',
        clientId: 'app',
        clientSecret: 'app-s3cret-value',
        serviceName: 'svc',
        dpop: { privateKey: 'not-a-key-at-all' },
      });
    expect(build).toThrow(ConfigurationException);
    expect(build).toThrow(
      'ClientCredentialsTokenProvider: dpop.privateKey is not a PEM or JWK private key',
    );
  });
});

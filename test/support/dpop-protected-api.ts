import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { checkDpopProof } from './dpop-proof-check';
import { Introspection, OidcTestServer } from './oidc-server';

export interface DpopProtectedApiOptions {
  /** Asks the authorization server about a token, e.g. `(t) => oidc.introspect(t)`. */
  introspect(token: string): Promise<Introspection>;
}

export interface DpopApiRequest {
  method: string;
  path: string;
  status: number;
  /** Why a request was refused (`use_dpop_nonce`, `invalid_dpop_proof`, `invalid_token`). */
  error?: string;
  /** The access token sent (tests compare it; never print it). */
  token?: string;
  /** The proof's `nonce`, if any. */
  nonce?: string;
}

/**
 * A resource server on 127.0.0.1 that accepts only DPoP-bound tokens (RFC 9449 §7), checking
 * everything itself with node:crypto: the proof's signature with its header `jwk`, `typ`, `htm`,
 * `htu`, `iat`, `jti` (no replay), `ath`, its own nonce (demanded first with 401
 * `use_dpop_nonce` and `DPoP-Nonce`, §9), and that the key is the one the token is bound to
 * (`cnf.jkt` from the authorization server's introspection). `/moved/<path>` answers
 * `307` (`303` for a POST) to `/<path>` on this origin, before any check.
 */
export class DpopProtectedApi {
  readonly requests: DpopApiRequest[] = [];
  /** A new nonce before every request: every proof is challenged. */
  rotateOnEveryRequest = false;
  private readonly seenJti = new Set<string>();
  private nonceCounter = 0;
  private nonce = this.nextNonce();

  private constructor(
    private readonly server: Server,
    private readonly options: DpopProtectedApiOptions,
  ) {}

  static async start(options: DpopProtectedApiOptions): Promise<DpopProtectedApi> {
    const server = createServer();
    const api = new DpopProtectedApi(server, options);
    server.on('request', (req, res) => void api.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** From now on proofs need a new nonce (the next request gets a challenge). */
  rotateNonce(): void {
    this.nonce = this.nextNonce();
  }

  count(filter: Partial<DpopApiRequest>): number {
    return this.requests.filter((r) =>
      Object.entries(filter).every(([k, v]) => r[k as keyof DpopApiRequest] === v),
    ).length;
  }

  reset(): void {
    this.requests.length = 0;
    this.rotateOnEveryRequest = false;
    this.rotateNonce();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private nextNonce(): string {
    this.nonceCounter += 1;
    return `api-nonce-${this.nonceCounter}-${Date.now().toString(36)}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0];
    const record: DpopApiRequest = { method, path, status: 0 };
    if (this.rotateOnEveryRequest) this.rotateNonce();
    this.requests.push(record);
    if (path.startsWith('/moved/')) {
      record.status = method === 'POST' ? 303 : 307;
      res.writeHead(record.status, { location: path.slice('/moved'.length) });
      return void res.end();
    }
    const refuse = (error: string, description: string) => {
      record.status = 401;
      record.error = error;
      res.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': `DPoP error="${error}", error_description="${description}", algs="ES256 PS256 RS256 EdDSA"`,
        'dpop-nonce': this.nonce,
      });
      res.end(JSON.stringify({ error }));
    };
    const match = /^DPoP (\S+)$/.exec(req.headers.authorization ?? '');
    const proof = req.headers.dpop;
    if (!match || typeof proof !== 'string')
      return refuse('invalid_token', 'DPoP token and proof required');
    const token = match[1];
    record.token = token;
    const checked = checkDpopProof(proof, {
      method,
      url: `${this.baseUrl}${path}`,
      accessToken: token,
      seenJti: this.seenJti,
    });
    if ('error' in checked) return refuse('invalid_dpop_proof', checked.error);
    if (checked.nonce !== undefined) record.nonce = checked.nonce;
    if (checked.nonce !== this.nonce)
      return refuse('use_dpop_nonce', 'Resource server requires nonce in DPoP proof');
    const introspection = await this.options
      .introspect(token)
      .catch(() => ({ active: false }) as Introspection);
    if (!introspection.active) return refuse('invalid_token', 'token is not active');
    if (introspection.cnf?.jkt !== checked.jkt)
      return refuse('invalid_token', 'token is not bound to the proof key');
    record.status = 200;
    res.writeHead(200, { 'content-type': 'application/json', 'dpop-nonce': this.nonce });
    res.end(JSON.stringify({ ok: true, path }));
  }
}

/**
 * oidc-provider with DPoP and a `DpopProtectedApi` that introspects at it, for one describe block:
 * started before its tests, reset before each test, closed after them.
 */
export function useDpopServers(): { oidc: OidcTestServer; api: DpopProtectedApi } {
  const servers = {} as { oidc: OidcTestServer; api: DpopProtectedApi };
  beforeAll(async () => {
    servers.oidc = await OidcTestServer.start({ dpop: true, tokenTtlSeconds: 300 });
    servers.api = await DpopProtectedApi.start({
      introspect: (token) => servers.oidc.introspect(token),
    });
  });
  afterAll(async () => {
    await servers.api.close();
    await servers.oidc.close();
  });
  beforeEach(async () => {
    await servers.oidc.reset();
    servers.api.reset();
  });
  return servers;
}

import { ChildProcess, fork } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { ClientCredentialsAuthOptions } from '../../lib/tokens/token-provider.factory';

export interface OidcClient {
  clientId: string;
  /** Absent for private_key_jwt and mTLS clients. */
  clientSecret?: string;
  /** The client's `token_endpoint_auth_method`. */
  authMethod:
    | 'client_secret_basic'
    | 'client_secret_post'
    | 'client_secret_jwt'
    | 'private_key_jwt'
    | 'tls_client_auth'
    | 'self_signed_tls_client_auth';
  /** Space-separated scopes the client may ask for. */
  scope?: string;
  /**
   * More registered metadata (RFC 7591, RFC 8705): `jwks`, `token_endpoint_auth_signing_alg`,
   * `tls_client_auth_subject_dn`, `tls_client_certificate_bound_access_tokens`, ...
   */
  metadata?: Record<string, unknown>;
}

/** PEM material of an https server that asks clients for certificates issued by `ca`. */
export interface OidcTls {
  cert: string;
  key: string;
  ca: string;
}

export interface OidcServerOptions {
  /** Lifetime of client-credentials tokens, in seconds. Default 60. */
  tokenTtlSeconds?: number;
  clients?: OidcClient[];
  /** Scopes the server knows. Default `['api:read', 'api:write']`. */
  scopes?: string[];
  /** Serve https with mutual TLS (oidc-provider's mTLS feature: tls_client_auth, bound tokens). */
  tls?: OidcTls;
  /**
   * DPoP (RFC 9449) on, with nonces required at the token endpoint: every proof without the
   * server's current nonce is answered 400 `use_dpop_nonce` with a `DPoP-Nonce`.
   */
  dpop?: boolean;
}

export interface OidcStats {
  tokenRequests: number;
  /** Token requests answered 200 (a nonce challenge is a request, not an issued token). */
  tokensIssued: number;
  introspections: number;
}

/** What the token endpoint does to its next requests, before oidc-provider sees them. */
export interface OidcFaults {
  /** Answers for the next token requests, in order: a status, or 'html' (502 HTML page). */
  statuses?: (number | 'html')[];
  /** Delay before every token response, in ms. */
  delayMs?: number;
}

export const BASIC_CLIENT: OidcClient & { clientSecret: string } = {
  clientId: 'basic-client',
  // Characters that §2.3.1 form-encoding changes: a client that skips it fails.
  clientSecret: 'b4sic s3cret:with/special+chars&=%',
  authMethod: 'client_secret_basic',
  scope: 'api:read api:write',
};

export const POST_CLIENT: OidcClient & { clientSecret: string } = {
  clientId: 'post-client',
  clientSecret: 'p0st-s3cret-value-0123456789',
  authMethod: 'client_secret_post',
  scope: 'api:read',
};

/** RFC 7662 §2.2, with RFC 8705 §3.2's `cnf` of a certificate-bound token. */
export interface Introspection {
  active: boolean;
  exp?: number;
  client_id?: string;
  /** `DPoP` for a DPoP-bound token (RFC 9449 §6.2, whose `cnf.jkt` is the key thumbprint). */
  token_type?: string;
  cnf?: { 'x5t#S256'?: string; jkt?: string };
}

const OUR_AUTH_METHOD = {
  client_secret_basic: 'header',
  client_secret_post: 'body',
  client_secret_jwt: 'client_secret_jwt',
  private_key_jwt: 'private_key_jwt',
  tls_client_auth: 'tls_client_auth',
  self_signed_tls_client_auth: 'self_signed_tls_client_auth',
} as const;

/** Used by the protected API to introspect tokens (RFC 7662). */
const RESOURCE_SERVER: OidcClient & { clientSecret: string } = {
  clientId: 'resource-server',
  clientSecret: 'resource-server-s3cret',
  authMethod: 'client_secret_basic',
};

/**
 * A real OpenID Connect provider (oidc-provider 9) with the client credentials grant, on
 * 127.0.0.1 in a child process: oidc-provider is ESM-only and jest runs CommonJS.
 *
 *   const oidc = await OidcTestServer.start({ tokenTtlSeconds: 2 });
 *   oidc.tokenUrl; await oidc.stats(); await oidc.introspect(token); await oidc.close();
 */
export class OidcTestServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    /** The CA of an https server, trusted by this class's own requests. */
    private readonly ca?: string,
  ) {}

  static async start(options: OidcServerOptions = {}): Promise<OidcTestServer> {
    const clients = [...(options.clients ?? [BASIC_CLIENT, POST_CLIENT]), RESOURCE_SERVER].map(
      (client) => ({
        client_id: client.clientId,
        ...(client.clientSecret !== undefined ? { client_secret: client.clientSecret } : {}),
        token_endpoint_auth_method: client.authMethod,
        grant_types: client === RESOURCE_SERVER ? [] : ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        ...(client.scope ? { scope: client.scope } : {}),
        ...client.metadata,
      }),
    );
    const config = {
      clients,
      scopes: options.scopes ?? ['api:read', 'api:write'],
      tokenTtlSeconds: options.tokenTtlSeconds ?? 60,
      ...(options.tls ? { tls: options.tls } : {}),
      dpop: options.dpop ?? false,
    };
    const child = fork(join(__dirname, 'oidc-server.child.mjs'), [JSON.stringify(config)], {
      execArgv: [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (message: { port: number }) => resolve(message.port));
      child.once('exit', (code) =>
        reject(new Error(`oidc test server exited (${code}): ${stderr.slice(0, 2000)}`)),
      );
    });
    return new OidcTestServer(child, port, options.tls?.ca);
  }

  get issuer(): string {
    return `${this.ca ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  /** The protected API of this server (GET, bearer token; checks certificate binding). */
  get resourceUrl(): string {
    return `${this.issuer}/api/resource`;
  }

  /** Plain `auth` options for one of this server's clients (POST_CLIENT unless told). */
  clientCredentialsAuth(client: OidcClient = POST_CLIENT): ClientCredentialsAuthOptions {
    return {
      type: 'client-credentials',
      tokenUrl: this.tokenUrl,
      clientId: client.clientId,
      ...(client.clientSecret !== undefined ? { clientSecret: client.clientSecret } : {}),
      authMethod: OUR_AUTH_METHOD[client.authMethod],
    };
  }

  get tokenUrl(): string {
    return `${this.issuer}/token`;
  }

  async stats(): Promise<OidcStats> {
    return (await this.control('stats')) as OidcStats;
  }

  /** Zeroes the counters and clears faults. */
  async reset(): Promise<void> {
    await this.control('reset');
  }

  async setFaults(faults: OidcFaults): Promise<void> {
    await this.control('faults', faults);
  }

  /** Destroys an issued access token at the server: introspection says inactive from now on. */
  async revoke(token: string): Promise<boolean> {
    return ((await this.control('revoke', { token })) as { revoked: boolean }).revoked;
  }

  /** RFC 7662 introspection as the resource server; the answer a real API would act on. */
  async introspect(token: string): Promise<Introspection> {
    const basic = Buffer.from(
      `${encodeURIComponent(RESOURCE_SERVER.clientId)}:${encodeURIComponent(RESOURCE_SERVER.clientSecret)}`,
    ).toString('base64');
    return (await this.post('/token/introspection', new URLSearchParams({ token }).toString(), {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
    })) as Introspection;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send('close');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  private control(name: string, body?: unknown): Promise<unknown> {
    return this.post(`/__test/${name}`, JSON.stringify(body ?? {}));
  }

  /** A POST to this server, answered with JSON; over https it trusts the server's CA. */
  private async post(path: string, body: string, headers: Record<string, string> = {}) {
    if (!this.ca) {
      const response = await fetch(`${this.issuer}${path}`, { method: 'POST', headers, body });
      return response.json();
    }
    return new Promise<unknown>((resolve, reject) => {
      const req = httpsRequest(`${this.issuer}${path}`, { method: 'POST', headers, ca: this.ca });
      req.on('error', reject);
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(JSON.parse(text)));
        res.on('error', reject);
      });
      req.end(body);
    });
  }
}

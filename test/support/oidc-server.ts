import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { ClientCredentialsAuthOptions } from '../../lib/tokens/token-provider.factory';

export interface OidcClient {
  clientId: string;
  clientSecret: string;
  authMethod: 'client_secret_basic' | 'client_secret_post';
  /** Space-separated scopes the client may ask for. */
  scope?: string;
}

export interface OidcServerOptions {
  /** Lifetime of client-credentials tokens, in seconds. Default 60. */
  tokenTtlSeconds?: number;
  clients?: OidcClient[];
  /** Scopes the server knows. Default `['api:read', 'api:write']`. */
  scopes?: string[];
}

export interface OidcStats {
  tokenRequests: number;
  introspections: number;
}

/** What the token endpoint does to its next requests, before oidc-provider sees them. */
export interface OidcFaults {
  /** Answers for the next token requests, in order: a status, or 'html' (502 HTML page). */
  statuses?: (number | 'html')[];
  /** Delay before every token response, in ms. */
  delayMs?: number;
}

export const BASIC_CLIENT: OidcClient = {
  clientId: 'basic-client',
  // Characters that §2.3.1 form-encoding changes: a client that skips it fails.
  clientSecret: 'b4sic s3cret:with/special+chars&=%',
  authMethod: 'client_secret_basic',
  scope: 'api:read api:write',
};

export const POST_CLIENT: OidcClient = {
  clientId: 'post-client',
  clientSecret: 'p0st-s3cret-value-0123456789',
  authMethod: 'client_secret_post',
  scope: 'api:read',
};

/** Used by the protected API to introspect tokens (RFC 7662). */
const RESOURCE_SERVER: OidcClient = {
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
  ) {}

  static async start(options: OidcServerOptions = {}): Promise<OidcTestServer> {
    const clients = [...(options.clients ?? [BASIC_CLIENT, POST_CLIENT]), RESOURCE_SERVER].map(
      (client) => ({
        client_id: client.clientId,
        client_secret: client.clientSecret,
        token_endpoint_auth_method: client.authMethod,
        grant_types: client === RESOURCE_SERVER ? [] : ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        ...(client.scope ? { scope: client.scope } : {}),
      }),
    );
    const config = {
      clients,
      scopes: options.scopes ?? ['api:read', 'api:write'],
      tokenTtlSeconds: options.tokenTtlSeconds ?? 60,
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
    return new OidcTestServer(child, port);
  }

  get issuer(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Plain `auth` options for one of this server's clients (POST_CLIENT unless told). */
  clientCredentialsAuth(client: OidcClient = POST_CLIENT): ClientCredentialsAuthOptions {
    return {
      type: 'client-credentials',
      tokenUrl: this.tokenUrl,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      authMethod: client.authMethod === 'client_secret_basic' ? 'header' : 'body',
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
  async introspect(token: string): Promise<{ active: boolean; exp?: number; client_id?: string }> {
    const basic = Buffer.from(
      `${encodeURIComponent(RESOURCE_SERVER.clientId)}:${encodeURIComponent(RESOURCE_SERVER.clientSecret)}`,
    ).toString('base64');
    const response = await fetch(`${this.issuer}/token/introspection`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token }).toString(),
    });
    return (await response.json()) as { active: boolean; exp?: number; client_id?: string };
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send('close');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  private async control(name: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.issuer}/__test/${name}`, {
      method: 'POST',
      body: JSON.stringify(body ?? {}),
    });
    return response.json();
  }
}

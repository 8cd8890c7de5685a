import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

export interface EmbeddedOidcOptions {
  clientId: string;
  clientSecret: string;
  /** Lifetime of the issued access tokens, in seconds. */
  tokenTtlSeconds: number;
}

/** The identity the sample API introspects tokens with (RFC 7662). */
const RESOURCE_SERVER = { clientId: 'sample-api', clientSecret: 'sample-api-introspection' };

/**
 * A real OAuth2 authorization server (oidc-provider from npm) on 127.0.0.1, in a child process:
 * oidc-provider is ESM-only and the sample runs as CommonJS.
 */
export class EmbeddedOidcServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(options: EmbeddedOidcOptions): Promise<EmbeddedOidcServer> {
    const config = {
      clients: [
        {
          client_id: options.clientId,
          client_secret: options.clientSecret,
          token_endpoint_auth_method: 'client_secret_basic',
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
          scope: 'orders:read',
        },
        {
          client_id: RESOURCE_SERVER.clientId,
          client_secret: RESOURCE_SERVER.clientSecret,
          token_endpoint_auth_method: 'client_secret_basic',
          grant_types: [],
          response_types: [],
          redirect_uris: [],
        },
      ],
      scopes: ['orders:read'],
      tokenTtlSeconds: options.tokenTtlSeconds,
    };
    // In the environment rather than argv: `ps` shows every process's argv.
    const child = fork(join(__dirname, 'oidc-server.child.mjs'), [], {
      env: { ...process.env, SAMPLE_OIDC_CONFIG: JSON.stringify(config) },
      execArgv: [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (message: { port: number }) => resolve(message.port));
      child.once('exit', (code) =>
        reject(new Error(`embedded oidc server exited (${code}): ${stderr.slice(0, 2000)}`)),
      );
    });
    return new EmbeddedOidcServer(child, port);
  }

  get issuer(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get tokenUrl(): string {
    return `${this.issuer}/token`;
  }

  async tokenRequests(): Promise<number> {
    const response = await fetch(`${this.issuer}/__sample/stats`);
    return ((await response.json()) as { tokenRequests: number }).tokenRequests;
  }

  /** Whether the authorization server vouches for `token`, and until when (epoch seconds). */
  async introspect(token: string): Promise<{ active: boolean; exp?: number }> {
    const basic = Buffer.from(
      `${RESOURCE_SERVER.clientId}:${RESOURCE_SERVER.clientSecret}`,
    ).toString('base64');
    const response = await fetch(`${this.issuer}/token/introspection`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token }).toString(),
    });
    return (await response.json()) as { active: boolean; exp?: number };
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    if (this.child.connected) this.child.send('close');
    else this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}

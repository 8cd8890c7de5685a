import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { bearerTokenOf, sendJson } from './http-helpers';
import { EmbeddedOidcServer } from './oidc-server';
import { PipelineTokenEndpoints } from './pipeline-token-endpoints';

export type SampleServiceId = 'a' | 'b' | 'c';

/** What the embedded servers saw; `GET /__sample/stats` answers it as JSON. */
export interface SampleServerStats {
  tokenRequests: { serviceA: number; serviceCAppToken: number; serviceCUserToken: number };
  api: Record<SampleServiceId, { ok: number; unauthorized: number }>;
  /** Requests to service-b's public `/health`, and how many of them carried the API key. */
  health: { requests: number; withCredential: number };
}

export interface SampleApiOptions {
  oidc: EmbeddedOidcServer;
  apiKey: string;
  pipeline: PipelineTokenEndpoints;
}

/**
 * The protected API the sample calls, on 127.0.0.1: `/a/*` takes tokens the oidc server vouches
 * for (introspection), `/b/*` an API key, `/c/*` user tokens from the pipeline endpoints under
 * `/auth/*`. `POST /__sample/revoke?service=a|c` makes it refuse every token it has seen so far,
 * as after a key rotation, so the next call gets a 401.
 */
export class SampleApi {
  private readonly api: SampleServerStats['api'] = {
    a: { ok: 0, unauthorized: 0 },
    b: { ok: 0, unauthorized: 0 },
    c: { ok: 0, unauthorized: 0 },
  };
  private readonly health = { requests: 0, withCredential: 0 };
  private readonly seen = { a: new Set<string>(), c: new Set<string>() };
  private readonly revoked = new Set<string>();
  private readonly introspected = new Map<string, Promise<{ active: boolean; exp?: number }>>();

  private constructor(
    private readonly server: Server,
    private readonly options: SampleApiOptions,
  ) {}

  static async start(options: SampleApiOptions): Promise<SampleApi> {
    const server = createServer();
    const api = new SampleApi(server, options);
    server.on('request', (req, res) => {
      api.handle(req, res).catch(() => sendJson(res, 500, { error: 'server_error' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stats(): Promise<SampleServerStats> {
    return {
      tokenRequests: {
        serviceA: await this.options.oidc.tokenRequests(),
        serviceCAppToken: this.options.pipeline.counts.appToken,
        serviceCUserToken: this.options.pipeline.counts.userToken,
      },
      api: structuredClone(this.api),
      health: { ...this.health },
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname;
    if (path === '/__sample/stats') return sendJson(res, 200, await this.stats());
    if (path === '/__sample/revoke' && req.method === 'POST') {
      const service = url.searchParams.get('service') === 'c' ? 'c' : 'a';
      this.seen[service].forEach((token) => this.revoked.add(token));
      return sendJson(res, 200, { revoked: this.seen[service].size });
    }
    if (path.startsWith('/auth/') && (await this.options.pipeline.handle(path, req, res))) return;
    if (path === '/b/health') {
      this.health.requests += 1;
      if (req.headers['x-api-key'] !== undefined) this.health.withCredential += 1;
      return sendJson(res, 200, { status: 'up' });
    }
    const service = path.split('/')[1];
    if (service !== 'a' && service !== 'b' && service !== 'c') {
      return sendJson(res, 404, { error: 'not_found' });
    }
    const ok = await this.authorized(service, req);
    this.api[service][ok ? 'ok' : 'unauthorized'] += 1;
    if (!ok) {
      res.setHeader(
        'www-authenticate',
        service === 'b' ? 'ApiKey' : 'Bearer error="invalid_token"',
      );
      return sendJson(res, 401, { error: 'unauthorized' });
    }
    sendJson(res, 200, { service: `service-${service}`, path, items: [1, 2, 3] });
  }

  private async authorized(service: SampleServiceId, req: IncomingMessage): Promise<boolean> {
    if (service === 'b') return req.headers['x-api-key'] === this.options.apiKey;
    const token = bearerTokenOf(req);
    if (!token || this.revoked.has(token)) return false;
    this.seen[service].add(token);
    if (service === 'c') return this.options.pipeline.acceptsUserToken(token);
    return this.vouchedFor(token);
  }

  /** Asks the authorization server once per token, then trusts it until its `exp`. */
  private async vouchedFor(token: string): Promise<boolean> {
    let answer = this.introspected.get(token);
    if (!answer) {
      answer = this.options.oidc.introspect(token);
      this.introspected.set(token, answer);
    }
    const { active, exp } = await answer.catch(() => ({ active: false, exp: undefined }));
    const valid = active && (exp === undefined || exp * 1000 > Date.now());
    if (!valid) this.introspected.delete(token);
    return valid;
  }
}

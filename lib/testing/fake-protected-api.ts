import { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer, pathOf, readBody, sendJson } from './loopback-server';

/** What the API needs from a token endpoint: `FakeTokenEndpoint` has it. */
export interface TokenVerifier {
  isValid(accessToken: string): boolean;
  /** The scheme tokens are presented with (`Authorization: <tokenType> <token>`). Default Bearer. */
  readonly tokenType?: string;
}

/** One request the API received. */
export interface ProtectedApiRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The access token presented, if any (compare it; never print it). */
  accessToken?: string;
  /** 200 or 401. */
  status: number;
  /** Epoch ms (real time) it arrived at: gaps between retries are measurable. */
  receivedAt: number;
}

/**
 * A resource server on 127.0.0.1 that accepts only the valid tokens of one token endpoint: 200
 * with `{ path, method }` to any method and path, else 401 with a `WWW-Authenticate` challenge
 * (RFC 6750 §3).
 */
export class FakeProtectedApi {
  readonly requests: ProtectedApiRequest[] = [];

  private constructor(
    private readonly server: LoopbackServer,
    private readonly verifier: TokenVerifier,
  ) {}

  /** Starts an API that trusts `endpoint`'s tokens, on an ephemeral port of 127.0.0.1. */
  static async start(endpoint: TokenVerifier): Promise<FakeProtectedApi> {
    const holder: { api?: FakeProtectedApi } = {};
    const server = await LoopbackServer.start((req, res) => holder.api?.handle(req, res));
    holder.api = new FakeProtectedApi(server, endpoint);
    return holder.api;
  }

  /** `http://127.0.0.1:<port>`: the base URL for a client. */
  get url(): string {
    return this.server.origin;
  }

  /** Requests answered 401. */
  get unauthorized(): number {
    return this.requests.filter((request) => request.status === 401).length;
  }

  /** Stops listening and ends every connection. */
  close(): Promise<void> {
    return this.server.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    await readBody(req);
    const method = req.method ?? 'GET';
    const path = pathOf(req);
    const scheme = this.verifier.tokenType ?? 'Bearer';
    const [given, token, ...rest] = (req.headers.authorization ?? '').trim().split(/\s+/);
    const presented = rest.length === 0 && given?.toLowerCase() === scheme.toLowerCase();
    const accessToken = presented ? token : undefined;
    const valid = accessToken !== undefined && this.verifier.isValid(accessToken);
    this.requests.push({
      method,
      path,
      ...(accessToken !== undefined ? { accessToken } : {}),
      status: valid ? 200 : 401,
      receivedAt,
    });
    if (valid) return sendJson(res, 200, { path, method });
    // RFC 6750 §3.1: no error code when the request carried no token at all.
    const challenge = accessToken === undefined ? scheme : `${scheme} error="invalid_token"`;
    sendJson(res, 401, { error: 'invalid_token' }, { 'www-authenticate': challenge });
  }
}

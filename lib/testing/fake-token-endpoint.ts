import { IncomingMessage, ServerResponse } from 'node:http';
import {
  ClientAuthentication,
  ClientAuthMethod,
  readClientAuthentication,
} from './client-authentication';
import { LoopbackServer, pathOf, readBody, sendJson } from './loopback-server';
import { oauthError, TokenAnswer, TokenGrants } from './token-grants';

export interface FakeTokenEndpointOptions {
  /** Accepted clients, id to secret. Default: every client is accepted, with whatever secret, or none. */
  clients?: Record<string, string>;
  /** Accepted resource owners for the password grant. Default: every username and password. */
  users?: Record<string, string>;
  /** `expires_in` of every token, in seconds (RFC 6749 §5.1); `null` leaves it out. Default 3600. */
  expiresIn?: number | null;
  /** `token_type` of every token. Default `Bearer`. */
  tokenType?: string;
  /** Issue refresh tokens with the password and refresh_token grants. Default true. */
  refreshTokens?: boolean;
  /** The clock tokens expire by (e.g. a `ManualClock`). Default `Date`. */
  clock?: { now(): number };
}

/** One request the endpoint received, answered or not. */
export interface TokenRequestRecord {
  grantType?: string;
  clientId?: string;
  /** `none`: a client that sent only its `client_id` (or nothing). */
  authMethod: ClientAuthMethod;
  scope?: string;
  /** The status it was answered with. */
  status: number;
}

/** A scripted answer for `failNext`. */
export interface TokenEndpointFailure {
  status: number;
  /** RFC 6749 §5.2 `error`, sent as `{ "error": ... }` unless `body` is given. */
  error?: string;
  /** The body as is: a string verbatim, anything else as JSON. Default: none. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering, in ms. */
  delayMs?: number;
}

const TOKEN_PATH = '/oauth/token';
const FORM = /^application\/x-www-form-urlencoded\s*(;|$)/i;
/** RFC 6749 §5.1: token responses are not cached. */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/**
 * A real OAuth2 token endpoint on 127.0.0.1 (RFC 6749 §3.2): the client credentials (§4.4),
 * password (§4.3) and refresh token (§6) grants, client secrets checked whether sent with HTTP
 * Basic or in the body (§2.3.1), and §5.2 errors. Counts and logs are plain properties.
 */
export class FakeTokenEndpoint {
  /** Every request to the token URL, failed ones included. */
  tokenRequests = 0;
  /** Every request to the token URL, in arrival order. */
  readonly requests: TokenRequestRecord[] = [];
  private readonly grants: TokenGrants;
  private readonly failures: TokenEndpointFailure[] = [];

  private constructor(
    private readonly server: LoopbackServer,
    private readonly options: FakeTokenEndpointOptions,
  ) {
    this.grants = new TokenGrants({
      users: options.users,
      tokenType: this.tokenType,
      refreshTokens: options.refreshTokens ?? true,
      clock: options.clock ?? Date,
    });
    this.reset();
  }

  /** Starts an endpoint on an ephemeral port of 127.0.0.1. */
  static async start(options: FakeTokenEndpointOptions = {}): Promise<FakeTokenEndpoint> {
    const holder: { endpoint?: FakeTokenEndpoint } = {};
    const server = await LoopbackServer.start((req, res) => holder.endpoint?.handle(req, res));
    holder.endpoint = new FakeTokenEndpoint(server, options);
    return holder.endpoint;
  }

  /** `http://127.0.0.1:<port>/oauth/token` */
  get tokenUrl(): string {
    return `${this.server.origin}${TOKEN_PATH}`;
  }

  /** The `token_type` this endpoint issues: the scheme a protected API expects. */
  get tokenType(): string {
    return this.options.tokenType ?? 'Bearer';
  }

  /** `expires_in` of the tokens issued from now on, in seconds; `null` leaves it out. */
  get expiresIn(): number | null {
    return this.grants.expiresIn;
  }

  set expiresIn(seconds: number | null) {
    if (seconds !== null && !(Number.isFinite(seconds) && seconds >= 0)) {
      throw new RangeError(`expiresIn must be a number of seconds or null, got ${seconds}`);
    }
    this.grants.expiresIn = seconds;
  }

  /** Whether `accessToken` was issued here and is neither expired (by the clock) nor revoked. */
  isValid(accessToken: string): boolean {
    return this.grants.isValid(accessToken);
  }

  /** Revokes one access or refresh token; every token issued so far when none is given. */
  revoke(token?: string): void {
    if (token === undefined) this.grants.revokeAll();
    else this.grants.revoke(token);
  }

  /** The next `count` requests get `failure` instead of their answer (still counted and logged). */
  failNext(count: number, failure: TokenEndpointFailure): void {
    if (!Number.isInteger(count) || count < 1) {
      throw new RangeError(`failNext: count must be a positive integer, got ${count}`);
    }
    if (!Number.isInteger(failure.status) || failure.status < 200 || failure.status > 599) {
      throw new RangeError(`failNext: status must be an HTTP status, got ${failure.status}`);
    }
    for (let i = 0; i < count; i += 1) this.failures.push(failure);
  }

  /** Back to as started: no requests, no scripted failures, no valid tokens. */
  reset(): void {
    this.tokenRequests = 0;
    this.requests.length = 0;
    this.failures.length = 0;
    this.grants.revokeAll();
    this.expiresIn = this.options.expiresIn === undefined ? 3600 : this.options.expiresIn;
  }

  /** Stops listening and ends every connection and pending delayed answer. */
  close(): Promise<void> {
    return this.server.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    if (pathOf(req) !== TOKEN_PATH) return sendJson(res, 404, { error: 'not_found' });
    this.tokenRequests += 1;
    const form = new URLSearchParams(text);
    const auth = readClientAuthentication(req.headers, form);
    const failure = this.failures.shift();
    const answer = failure ? scripted(failure) : this.answer(req, form, auth);
    this.requests.push({
      grantType: form.get('grant_type') ?? undefined,
      clientId: auth.clientId,
      authMethod: auth.method,
      scope: form.get('scope') ?? undefined,
      status: answer.status,
    });
    if (failure?.delayMs) await this.server.wait(failure.delayMs);
    sendJson(res, answer.status, answer.body, { ...NO_STORE, ...answer.headers });
  }

  private answer(
    req: IncomingMessage,
    form: URLSearchParams,
    auth: ClientAuthentication,
  ): TokenAnswer {
    // §3.2: the client MUST use POST; §4.3.2, §4.4.2, §6: with a form-encoded body.
    if (req.method !== 'POST') {
      return { ...oauthError(405, 'invalid_request', 'use POST'), headers: { allow: 'POST' } };
    }
    if (!FORM.test(req.headers['content-type'] ?? '')) {
      return oauthError(400, 'invalid_request', 'send application/x-www-form-urlencoded');
    }
    const refused = this.refusal(auth);
    if (refused !== undefined) {
      // §5.2: a client that tried HTTP Basic MUST get 401 with the scheme to use.
      const triedBasic = auth.method === 'client_secret_basic';
      return {
        ...oauthError(401, 'invalid_client', refused),
        ...(triedBasic ? { headers: { 'www-authenticate': 'Basic realm="oauth"' } } : {}),
      };
    }
    return this.grants.grant(form, auth.clientId);
  }

  /** Why the client is not authenticated (an `error_description`), or `undefined` when it is. */
  private refusal(auth: ClientAuthentication): string | undefined {
    if (!auth.ok) return auth.reason;
    const clients = this.options.clients;
    if (!clients) return undefined;
    const id = auth.clientId;
    if (id === undefined || !Object.hasOwn(clients, id)) return 'unknown client';
    if (auth.method === 'none') return 'client authentication required';
    return auth.clientSecret === clients[id] ? undefined : 'wrong client secret';
  }
}

function scripted(failure: TokenEndpointFailure): TokenAnswer {
  const body =
    failure.body !== undefined ? failure.body : failure.error ? { error: failure.error } : '';
  return { status: failure.status, body, ...(failure.headers ? { headers: failure.headers } : {}) };
}

import { HttpService } from '@nestjs/axios';
import { Logger } from '@nestjs/common';
import { defer, lastValueFrom, map, mergeMap, Observable, of, throwError } from 'rxjs';
import { isDpopTokenType } from '../auth/dpop-session';
import { AuthenticationException, Redactor } from '../errors';
import { recordTokenRequest } from '../observability/metrics';
import { observeTokenFetch } from '../observability/token-fetch.observer';
import { BackoffSettings, exponentialDelay, jitteredBackoff } from '../retry/backoff';
import { parseRetryAfter } from '../retry/retry-strategy';
import { retryLoop, RetryStep } from '../retry/retry-loop';
import { httpsAgentFor } from '../transport/client-certificate';
import { createHttpService } from '../transport/http-transport';
import { stopOnAbort } from '../transport/stop-on-abort';
import { TokenData } from './token-data';
import type { CheckedProviderOptions, OAuthProviderCommonOptions } from './token-provider.options';
import {
  TokenRequestContext,
  AttemptOutcome,
  DEFAULT_MAX_TOKEN_RESPONSE_BYTES,
  TokenAnswer,
  readTokenResponse,
  sendTokenRequest,
} from './token-response';

interface TokenEndpointClientOptions
  extends Omit<OAuthProviderCommonOptions, 'dpop'>, Partial<CheckedProviderOptions> {
  /** Attempts for transient failures (network, timeout, 408, 429, 5xx). Default 3. */
  maxAttempts?: number;
  /** First backoff delay in ms. Default 250. */
  retryBaseDelay?: number;
  /** Cap for backoff and `Retry-After`, in ms. Default 5_000. */
  maxRetryDelay?: number;
}

/** Failures of this client worth another attempt, with the server's `Retry-After`. */
const transientFailures = new WeakMap<object, { retryAfter?: string }>();

/** The token endpoint's protocol: one form POST per attempt, transient failures retried. */
export class TokenEndpointClient {
  private readonly logger = new Logger(TokenEndpointClient.name);
  private readonly http: HttpService;
  private readonly redactor: Redactor;
  private readonly tokenUrl: string;
  private readonly maxAttempts: number;
  private readonly timeout: number;
  private readonly backoff: BackoffSettings;
  private readonly closing = new AbortController();
  /** The `client_secret_basic` credentials, made once (the id and secret do not change). */
  private readonly basic?: string;

  constructor(private readonly options: TokenEndpointClientOptions) {
    // Checked by the provider that owns this client, with the names the user wrote.
    this.tokenUrl = new URL(options.tokenUrl).toString();
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.timeout = options.timeout ?? 10_000;
    this.backoff = jitteredBackoff(options.retryBaseDelay ?? 250, options.maxRetryDelay ?? 5_000);
    // §2.3.1 client_secret_basic: a server may echo the header's base64 value without its scheme.
    this.basic = basicCredentials(options);
    this.redactor = new Redactor([], [options.clientSecret, this.basic]);
    // RFC 8705 §2: the certificate is presented in the TLS handshake with the token endpoint.
    const { clientCertificate: certificate } = options;
    this.http = createHttpService(undefined, certificate && httpsAgentFor(certificate, false));
  }

  /** Stops every request under way (its waiters get an error) and refuses new ones. */
  close(): void {
    this.closing.abort();
  }

  get worstCaseDurationMs(): number {
    return this.maxAttempts * this.timeout + (this.maxAttempts - 1) * this.backoff.maxDelay;
  }

  /** POSTs the grant parameters (§4.3.2, §4.4.2, §6) and returns the issued token (§5.1). */
  /** @param signal stops the request under way and its retries (its caller stopped waiting) */
  requestToken(
    grant: Record<string, string | undefined>,
    signal?: AbortSignal,
  ): Promise<TokenData> {
    const context: TokenRequestContext = {
      serviceName: this.options.serviceName,
      timeoutMs: this.timeout,
      maxResponseBytes: this.options.maxTokenResponseBytes ?? DEFAULT_MAX_TOKEN_RESPONSE_BYTES,
      defaultLifetimeMs: this.options.defaultTokenLifetime,
      // A server might echo the password or refresh token in error_description.
      redact: this.redactor.extend([], [grant.password, grant.refresh_token]),
    };
    // Per attempt: an assertion and a DPoP proof are used once (RFC 7523 §3, RFC 9449 §4.2 jti).
    const send = defer(() => {
      const secrets: string[] = [];
      const request = this.buildRequest(grant, secrets);
      const sent = { ...context, redact: context.redact.extend([], secrets) };
      return sendTokenRequest(this.http, request, sent).pipe(
        map((answer) => ('kind' in answer ? answer : this.read(answer, sent))),
      );
    });
    const attempts = send.pipe(
      // RFC 9449 §8: a nonce challenge is answered once, within the attempt, with a new proof.
      mergeMap((outcome) => {
        if (outcome.kind === 'token' || !outcome.nonceChallenge) return of(outcome);
        recordTokenRequest(context.serviceName, outcome.error);
        return send;
      }),
      mergeMap((outcome) => settle(outcome, context.serviceName)),
      retryLoop<TokenData>({ start: () => (error, retry) => this.nextStep(error, retry) }),
      stopOnAbort(this.closing.signal, () => shutDown(context.serviceName)),
    );
    const waited = signal
      ? attempts.pipe(stopOnAbort(signal, () => noLongerWaited(context.serviceName)))
      : attempts;
    return observeTokenFetch(context.serviceName, () => lastValueFrom(waited));
  }

  /** Another attempt after a transient failure, until `maxAttempts`; never after a refusal. */
  private nextStep(error: unknown, retry: number): RetryStep | undefined {
    const transient = transientFailures.get(error as object);
    if (!transient || retry >= this.maxAttempts) return undefined;
    // RFC 9110 §10.2.3: the server's own estimate wins over our backoff, within our cap.
    const asked = parseRetryAfter(transient.retryAfter, Date.now());
    const delayMs = Math.round(
      asked !== undefined
        ? Math.min(asked, this.backoff.maxDelay)
        : exponentialDelay(this.backoff, retry),
    );
    const message = error instanceof Error ? error.message : 'Token request failed';
    this.logger.warn(
      `${message}; retrying in ${delayMs} ms (attempt ${retry + 1}/${this.maxAttempts})`,
    );
    return { delayMs };
  }

  /** §5.1, and with DPoP: the server's nonce kept, and a bearer token refused (RFC 9449 §5). */
  private read(answer: TokenAnswer, context: TokenRequestContext): AttemptOutcome {
    const dpop = this.options.dpop;
    const gaveNonce = dpop?.rememberNonce(this.tokenUrl, answer.headers) ?? false;
    const outcome = readTokenResponse(answer, context);
    if (outcome.kind === 'failure') {
      return { ...outcome, nonceChallenge: gaveNonce && outcome.error.error === 'use_dpop_nonce' };
    }
    if (!dpop || isDpopTokenType(outcome.token.tokenType)) return outcome;
    const error = new AuthenticationException(
      `Token endpoint for "${context.serviceName}" issued a ${outcome.token.tokenType} token, ` +
        'but DPoP is configured: a DPoP-bound token (token_type DPoP) is required',
      { serviceName: context.serviceName, error: 'invalid_token_type', status: answer.status },
    );
    return { kind: 'failure', error, transient: false };
  }

  /** One attempt's request; the secrets made for it (an assertion, a proof) go to `secrets`. */
  private buildRequest(grant: Record<string, string | undefined>, secrets: string[]) {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(grant)) {
      if (value !== undefined && value !== '') form.set(name, value);
    }
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    };
    const { clientId, clientSecret, clientAssertion } = this.options;
    // A JWS made for this request, and its signature, which a server may echo alone.
    const signed = (jws: string) => {
      secrets.push(jws, jws.slice(jws.lastIndexOf('.') + 1));
      return jws;
    };
    if (this.options.dpop) {
      // RFC 9449 §5: a fresh proof of the key the token is to be bound to.
      headers.DPoP = signed(this.options.dpop.proof('POST', this.tokenUrl));
    }
    if (clientAssertion) {
      // RFC 7523 §2.2; client_id too, as OIDC Core §9 and most servers expect it.
      form.set('client_id', clientId);
      form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      form.set('client_assertion', signed(clientAssertion()));
    } else if (this.basic !== undefined) {
      headers.Authorization = `Basic ${this.basic}`;
    } else {
      // §2.3.1 client_secret_post; a public client (§2.1) or RFC 8705 (§2): only the id.
      form.set('client_id', clientId);
      if (clientSecret !== undefined) form.set('client_secret', clientSecret);
    }
    return { url: this.tokenUrl, method: 'POST', data: form.toString(), headers };
  }
}

function noLongerWaited(serviceName: string): AuthenticationException {
  return new AuthenticationException(
    `Token request for "${serviceName}" stopped: no caller waits for it any more`,
    { serviceName },
  );
}

function shutDown(serviceName: string): AuthenticationException {
  return new AuthenticationException(
    `Token request for "${serviceName}" stopped: the application is shutting down`,
    { serviceName },
  );
}

/** Each attempt is one request to the token endpoint, counted as it settles. */
function settle(outcome: AttemptOutcome, serviceName: string): Observable<TokenData> {
  recordTokenRequest(serviceName, outcome.kind === 'token' ? undefined : outcome.error);
  if (outcome.kind === 'token') return of(outcome.token);
  if (outcome.transient) transientFailures.set(outcome.error, { retryAfter: outcome.retryAfter });
  return throwError(() => outcome.error);
}

/** §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded. */
function basicCredentials({ authMethod, clientId, clientSecret }: TokenEndpointClientOptions) {
  if (authMethod !== 'header' || clientSecret === undefined) return undefined;
  const pair = `${formEncode(clientId)}:${formEncode(clientSecret)}`;
  return Buffer.from(pair, 'utf8').toString('base64');
}

/** application/x-www-form-urlencoded encoding of one value. */
function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

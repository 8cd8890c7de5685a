import { Logger } from '@nestjs/common';
import axios, { AxiosInstance, AxiosResponse } from 'axios';
import { AuthenticationException, Redactor } from '../errors';
import { isTimeoutCode, networkErrorCode } from '../errors/network-failure';
import { TokenData } from './token-data';
import {
  describeNonJsonBody,
  OAuthErrorBody,
  parseJson,
  parseOAuthError,
} from './token-error.parser';
import { isTransientStatus, retryDelayMs, sleep } from './token-endpoint.retry';
import { checkTokenUrl } from './token-url';

/** How the client authenticates at the token endpoint (RFC 6749 §2.3.1). */
export type ClientAuthMethod = 'body' | 'header';

export interface TokenEndpointClientOptions {
  tokenUrl: string;
  serviceName: string;
  clientId: string;
  clientSecret?: string;
  /** `'header'` = client_secret_basic, `'body'` = client_secret_post. Default `'body'`. */
  authMethod?: ClientAuthMethod;
  /** Allow a plain-http token URL on a non-loopback host. Default false. */
  allowInsecureRequests?: boolean;
  /** Per attempt, in ms. Default 10_000. */
  timeout?: number;
  /** Attempts for transient failures (network, 408, 429, 5xx). Default 3. */
  maxAttempts?: number;
  /** First backoff delay in ms. Default 250. */
  retryBaseDelay?: number;
  /** Cap for backoff and `Retry-After`, in ms. Default 5_000. */
  maxRetryDelay?: number;
  /** Lifetime of tokens whose response says nothing about expiry. Default 3_600_000. */
  defaultTokenLifetime?: number;
}

type Outcome =
  | { kind: 'token'; token: TokenData }
  | { kind: 'retry'; error: AuthenticationException; retryAfter?: string }
  | { kind: 'fail'; error: AuthenticationException };

/**
 * The protocol side of the token endpoint: one form-encoded POST per attempt, the response
 * checked before it is trusted, §5.2 errors typed, transient failures retried with backoff.
 */
export class TokenEndpointClient {
  private readonly logger = new Logger(TokenEndpointClient.name);
  private readonly http: AxiosInstance;
  private readonly redactor: Redactor;
  private readonly tokenUrl: string;
  private readonly maxAttempts: number;

  constructor(private readonly options: TokenEndpointClientOptions) {
    this.tokenUrl = checkTokenUrl(options.tokenUrl, {
      context: 'TokenEndpointClient',
      field: 'tokenUrl',
      allowInsecureRequests: options.allowInsecureRequests,
    }).toString();
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.redactor = new Redactor([], [options.clientSecret]);
    this.http = axios.create({
      timeout: this.timeout,
      // A redirect would carry the client secret to wherever it points.
      maxRedirects: 0,
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
    });
  }

  get timeout(): number {
    return this.options.timeout ?? 10_000;
  }

  /** The longest one `requestToken` call can take, retries included. */
  get worstCaseDurationMs(): number {
    return this.maxAttempts * this.timeout + (this.maxAttempts - 1) * this.maxRetryDelay;
  }

  private get maxRetryDelay(): number {
    return this.options.maxRetryDelay ?? 5_000;
  }

  /** POSTs the grant parameters (§4.3.2, §4.4.2, §6) and returns the issued token (§5.1). */
  async requestToken(grant: Record<string, string | undefined>): Promise<TokenData> {
    const { body, headers } = this.buildRequest(grant);
    // A server might echo the password or refresh token in error_description.
    const redactor = this.redactor.extend([], [grant.password, grant.refresh_token]);
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(body, headers, attempt, redactor);
      if (outcome.kind === 'token') return outcome.token;
      if (outcome.kind === 'fail' || attempt >= this.maxAttempts) throw outcome.error;
      const delay = retryDelayMs(attempt, outcome.retryAfter, {
        baseDelayMs: this.options.retryBaseDelay ?? 250,
        maxDelayMs: this.maxRetryDelay,
      });
      this.logger.warn(
        `${outcome.error.message}; retrying in ${delay} ms (attempt ${attempt + 1}/${this.maxAttempts})`,
      );
      await sleep(delay);
    }
  }

  private buildRequest(grant: Record<string, string | undefined>) {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(grant)) {
      if (value !== undefined && value !== '') form.set(name, value);
    }
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    };
    const { clientId, clientSecret } = this.options;
    if (this.options.authMethod === 'header' && clientSecret !== undefined) {
      // §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded.
      const pair = `${formEncode(clientId)}:${formEncode(clientSecret)}`;
      headers.Authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
    } else {
      // §2.3.1 client_secret_post; a public client (§2.1) sends only its id (§4.3.2, §3.2.1).
      form.set('client_id', clientId);
      if (clientSecret !== undefined) form.set('client_secret', clientSecret);
    }
    return { body: form.toString(), headers };
  }

  private async attempt(
    body: string,
    headers: Record<string, string>,
    attempt: number,
    redactor: Redactor,
  ): Promise<Outcome> {
    let response: AxiosResponse<string>;
    try {
      response = await this.http.post<string>(this.tokenUrl, body, { headers });
    } catch (cause) {
      const code = networkErrorCode(cause);
      const why = isTimeoutCode(code)
        ? `no answer within ${this.timeout} ms`
        : `could not reach the token endpoint${code ? ` (${code})` : ''}`;
      return { kind: 'retry', error: this.error(why, redactor, { attempts: attempt, cause }) };
    }
    return this.read(response, attempt, redactor);
  }

  private read(response: AxiosResponse<string>, attempt: number, redactor: Redactor): Outcome {
    const { status } = response;
    const text = typeof response.data === 'string' ? response.data : '';
    const contentType = headerValue(response.headers['content-type']);
    const parsed = parseJson(text);
    if (status >= 200 && status < 300) {
      if (!parsed.ok) {
        const what = describeNonJsonBody(contentType, text);
        return {
          kind: 'fail',
          error: this.error(`answered ${status} with ${what}`, redactor, {
            status,
            attempts: attempt,
          }),
        };
      }
      try {
        const token = TokenData.fromTokenResponse(parsed.value, {
          serviceName: this.options.serviceName,
          defaultLifetimeMs: this.options.defaultTokenLifetime,
        });
        return { kind: 'token', token };
      } catch (invalid) {
        const error = invalid as AuthenticationException;
        return {
          kind: 'fail',
          error: new AuthenticationException(error.message, {
            serviceName: this.options.serviceName,
            error: error.error,
            status,
            attempts: attempt,
          }),
        };
      }
    }
    const oauthError = parsed.ok ? parseOAuthError(parsed.value) : undefined;
    const why = oauthError
      ? describeOAuthError(oauthError, redactor)
      : `answered ${status} with ${parsed.ok ? 'no OAuth error code' : describeNonJsonBody(contentType, text)}`;
    const error = this.error(why, redactor, { status, attempts: attempt, oauthError });
    if (!isTransientStatus(status)) return { kind: 'fail', error };
    return { kind: 'retry', error, retryAfter: headerValue(response.headers['retry-after']) };
  }

  private error(
    why: string,
    redactor: Redactor,
    extra: { status?: number; attempts: number; cause?: unknown; oauthError?: OAuthErrorBody },
  ): AuthenticationException {
    const { serviceName } = this.options;
    const status = extra.status !== undefined ? ` (status ${extra.status})` : '';
    return new AuthenticationException(
      `Token request for "${serviceName}" failed: ${why}${status}`,
      {
        serviceName,
        attempts: extra.attempts,
        ...(extra.status !== undefined ? { status: extra.status } : {}),
        ...(extra.cause !== undefined ? { cause: extra.cause } : {}),
        ...(extra.oauthError
          ? {
              error: extra.oauthError.error,
              ...(extra.oauthError.errorDescription !== undefined
                ? { errorDescription: redactor.text(extra.oauthError.errorDescription) }
                : {}),
            }
          : {}),
      },
    );
  }
}

function describeOAuthError(error: OAuthErrorBody, redactor: Redactor): string {
  const description = error.errorDescription ? ` (${redactor.text(error.errorDescription)})` : '';
  return `${error.error}${description}`;
}

/** application/x-www-form-urlencoded encoding of one value. */
function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

function headerValue(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.join(', ');
  return typeof value === 'string' ? value : undefined;
}

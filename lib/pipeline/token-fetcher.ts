import { HttpService } from '@nestjs/axios';
import { lastValueFrom } from 'rxjs';
import { defaultRedactor, Redactor } from '../errors';
import { hashCacheKey, secretFingerprint } from '../tokens/cache-key';
import { TokenData } from '../tokens/token-data';
import { createHttpService } from '../transport/http-transport';
import { stopOnAbort } from '../transport/stop-on-abort';
import { OptionChecker } from '../errors/option-checker';
import { readTokenFields } from '../tokens/token-fields';
import {
  DEFAULT_MAX_TOKEN_RESPONSE_BYTES,
  TokenAnswer,
  refusal,
  sendTokenRequest,
  TokenRequestContext,
  tokenRequestFailed,
} from '../tokens/token-response';
import { joinUrl } from '../client/request-target';
import { stepLabel, validateFetcherOptions } from './fetcher-options.validation';
import { PipelineContext } from './pipeline-context';
import { fillPlaceholders, textsIn } from './placeholders';
import { RequestData, TokenFetcherOptions } from './token-fetcher.options';

/**
 * One step of a token pipeline: builds a request from its options and the tokens of the steps
 * it depends on, sends it, and reads one token from the answer. Subclasses decide where the
 * token is (`readToken`) and may override `buildRequestHeaders` / `buildRequestData`.
 */
export abstract class TokenFetcher {
  readonly name: string;
  readonly dependsOn: readonly string[];
  readonly ttl?: number;
  /** A step is sent once (no retry): this is also the longest one fetch of it can take. */
  readonly timeout: number;
  readonly maxTokenResponseBytes: number;
  protected readonly options: Readonly<TokenFetcherOptions>;
  // Its own instance: interceptors an app adds to the global axios never see step credentials.
  private readonly http: HttpService = createHttpService();
  private readonly closing = new AbortController();

  /** @param check names the step in errors; the module passes one naming the client and field */
  constructor(
    options: TokenFetcherOptions,
    check: OptionChecker = new OptionChecker(stepLabel(options)),
  ) {
    validateFetcherOptions(options, check);
    this.options = Object.freeze({
      ...options,
      requestHeaders: options.requestHeaders && { ...options.requestHeaders },
      requestData: options.requestData && structuredClone(options.requestData),
    });
    this.name = options.name;
    this.dependsOn = Object.freeze([...new Set(options.dependsOn ?? [])]);
    if (options.ttl !== undefined) this.ttl = options.ttl;
    this.timeout = options.timeout ?? 10_000;
    this.maxTokenResponseBytes = options.maxTokenResponseBytes ?? DEFAULT_MAX_TOKEN_RESPONSE_BYTES;
  }

  /**
   * Identifies what this step's token depends on. Secret values count too (two API keys are two
   * tenants), through a slow fingerprint rather than in the plain hash.
   */
  get cacheKey(): string {
    const o = this.options;
    const shown = [defaultRedactor.headers(o.requestHeaders), defaultRedactor.body(o.requestData)];
    const sent = [o.requestHeaders ?? {}, o.requestData];
    const identity = [
      this.constructor.name,
      this.name,
      o.baseUrl,
      o.endpoint,
      this.method,
      o.contentType ?? 'form',
      this.dependsOn,
      this.tokenLocation(),
      ...shown,
      ...(JSON.stringify(shown) === JSON.stringify(sent) ? [] : [secretFingerprint(sent)]),
    ];
    return hashCacheKey(identity, 16);
  }

  /** Headers of the token request: `requestHeaders` with `{{step}}` placeholders filled. */
  buildRequestHeaders(
    context: PipelineContext,
  ): Record<string, string> | Promise<Record<string, string>> {
    const headers = this.options.requestHeaders ?? {};
    return fillPlaceholders(headers, (step) => context.get(step).accessToken) as typeof headers;
  }

  /** Body (or query, for GET) of the token request: `requestData` with placeholders filled. */
  buildRequestData(
    context: PipelineContext,
  ): RequestData | undefined | Promise<RequestData | undefined> {
    const data = this.options.requestData;
    return data && (fillPlaceholders(data, (step) => context.get(step).accessToken) as RequestData);
  }

  /** Stops a request under way and refuses new ones (Nest's shutdown, through the pipeline). */
  close(): void {
    this.closing.abort();
  }

  /** Fetches this step's token; failures are `AuthenticationException`s naming step and service. */
  async fetch(context: PipelineContext): Promise<TokenData> {
    const headers = await this.buildRequestHeaders(context);
    const data = await this.buildRequestData(context);
    const sent = [...textsIn(headers), ...textsIn(data)].map(({ text }) => text);
    const upstream = context.steps.map((step) => context.get(step).accessToken);
    const request: TokenRequestContext = {
      step: this.name,
      serviceName: context.serviceName,
      timeoutMs: this.timeout,
      maxResponseBytes: this.maxTokenResponseBytes,
      // Every value the request carried (passwords, upstream tokens) is scrubbed from errors.
      redact: new Redactor([], [...sent, ...upstream]),
    };
    const response = await lastValueFrom(
      sendTokenRequest(this.http, this.request(headers, data), request).pipe(
        stopOnAbort(this.closing.signal, () =>
          tokenRequestFailed(request, 'the application is shutting down'),
        ),
      ),
    );
    if ('kind' in response) throw response.error;
    const { status, data: body } = response;
    if (status < 200 || status >= 300) throw refusal(request, response);
    const read = this.readToken(response);
    if ('problem' in read) {
      throw tokenRequestFailed(request, `the response ${read.problem}`, { status });
    }
    // The token endpoint's rules (`readTokenFields`); without a lifetime or `ttl` there is no
    // expiry, so the token is kept until the pipeline invalidates it.
    const o = this.options;
    const expiresInField = o.expiresInField ?? 'expires_in';
    const tokenType = read.tokenType ?? readString(body, o.tokenTypeField);
    const fields = readTokenFields({
      accessToken: read.accessToken,
      tokenType,
      names: { accessToken: 'token', tokenType: 'token type', expiresIn: expiresInField },
      expiresIn: readDotPath(body, expiresInField),
      now: Date.now(),
      ttlMs: this.ttl,
    });
    if ('problem' in fields) {
      throw tokenRequestFailed(request, `the response is invalid: ${fields.problem}`, { status });
    }
    return new TokenData({
      accessToken: read.accessToken,
      tokenType,
      refreshToken: readString(body, o.refreshTokenField),
      ...fields,
    });
  }

  /** Where this fetcher finds the token, for the cache key (e.g. the field or header name). */
  protected abstract tokenLocation(): string;

  /** The token of a 2xx answer; its type (unless given), lifetime, refresh token: the body's. */
  protected abstract readToken(response: TokenAnswer): StepToken;

  private get method(): string {
    return (this.options.method ?? 'POST').toUpperCase();
  }

  private request(headers: Record<string, string>, data: RequestData | undefined) {
    const json = this.options.contentType === 'json';
    const inQuery = this.method === 'GET';
    const body =
      data === undefined || inQuery
        ? undefined
        : json
          ? JSON.stringify(data)
          : new URLSearchParams(formEntries(data)).toString();
    return {
      url: joinUrl(this.options.baseUrl, this.options.endpoint),
      method: this.method,
      headers: {
        Accept: 'application/json',
        ...(body !== undefined
          ? { 'Content-Type': json ? 'application/json' : 'application/x-www-form-urlencoded' }
          : {}),
        ...headers,
      },
      data: body,
      params: inQuery ? data : undefined,
    };
  }
}

/** The token a step found, or where it was missing (never what was there: it may be a token). */
export type StepToken = { accessToken: string; tokenType?: string } | { problem: string };

/** Reads `a.b.c` from parsed JSON; undefined when any part is missing. */
function readDotPath(body: unknown, path: string): unknown {
  let value: unknown = body;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !(key in value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export function readString(body: unknown, path: string | undefined): string | undefined {
  if (!path) return undefined;
  const value = readDotPath(body, path);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function formEntries(data: RequestData): [string, string][] {
  return Object.entries(data).map(([key, value]) => [key, value === null ? '' : String(value)]);
}

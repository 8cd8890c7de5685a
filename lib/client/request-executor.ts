import { HttpService } from '@nestjs/axios';
import { Logger } from '@nestjs/common';
import { AxiosRequestConfig, AxiosResponse } from 'axios';
import { catchError, defer, from, mergeMap, Observable, tap, throwError } from 'rxjs';
import { stripCredentialsOnForeignRedirect } from '../auth/origin-guard';
import { pathExclusion } from '../auth/path-exclusion';
import { AppliedAuth } from '../auth/request-auth.interface';
import { toForgeException } from '../errors/http-error.mapper';
import { defaultRedactor, Redactor } from '../errors/redaction';
import { HookRunner } from '../hooks/hook-runner';
import { HookContext } from '../hooks/hook.types';
import { attachFailure, failureOf } from '../retry/request-failure';
import { sendAttempt } from '../transport/http-transport';
import { AttemptFailure, CallContext } from './call-context';
import { CallResilience } from './call-resilience';
import { mergeHeaders } from './header-merge';
import { HttpClientConfig } from './http-client-config';
import { RequestLogger } from './request-logger';
import { RequestTarget, targetResolver } from './request-target';

/** One attempt, ready to send: the request exactly as it goes out. */
interface PreparedAttempt {
  axiosConfig: AxiosRequestConfig;
  target: RequestTarget;
  applied?: AppliedAuth;
  /** Set by the redirect guard when a hop left the base origin: no later hop had the credential. */
  leftOrigin: boolean;
  /** DPoP proofs signed for same-origin redirect hops: secrets like the first one. */
  hopProofs: string[];
}

/** The one request path: hooks → auth → HttpService → typed error, inside `CallResilience`. */
export class RequestExecutor {
  readonly redactor: Redactor;
  private readonly baseOrigin: URL;
  /** `baseOrigin.origin` read once (the getter builds the string on every read). */
  private readonly origin: string;
  private readonly resolveTarget: (url: string | undefined) => RequestTarget;
  private readonly isExcluded: (absolutePath: string, relativePath?: string) => boolean;
  private readonly hooks: HookRunner;
  private readonly requestLogger?: RequestLogger;
  readonly resilience: CallResilience;
  /** Whether hooks or a logger read the per-call context (else none is made). */
  private readonly readsContext: boolean;

  constructor(
    private readonly config: HttpClientConfig,
    private readonly http: HttpService,
    private readonly clientName = 'default',
  ) {
    this.baseOrigin = new URL(config.baseUrl);
    this.origin = this.baseOrigin.origin;
    this.resolveTarget = targetResolver(config.baseUrl);
    this.isExcluded = pathExclusion(config.excludedPaths, config.excludedPathPatterns);
    const keys = defaultRedactor.extend(
      [...(config.auth?.headerNames ?? []), ...(config.logging?.sensitiveKeys ?? [])],
      [],
    );
    // A default header under a sensitive name is a credential too, wherever an API echoes it.
    const sensitiveHeaders = Object.entries(config.headers)
      .filter(([name]) => keys.isSensitive(name))
      .map(([, value]) => value);
    this.redactor = keys.extend([], [...(config.auth?.secrets ?? []), ...sensitiveHeaders]);
    const logger = new Logger(`RequestForge:${this.clientName}`);
    this.hooks = new HookRunner(config.hooks, logger);
    if (config.logging) this.requestLogger = new RequestLogger(logger, config.logging);
    this.resilience = new CallResilience(config, this.clientName);
    this.readsContext = !this.hooks.isEmpty || !!this.requestLogger;
  }

  execute<T>(request: AxiosRequestConfig): Observable<AxiosResponse<T>> {
    if (!this.readsContext) return this.resilience.wrap(defer(() => this.sendOnce<T>(request)));
    return defer(() => {
      const call = new CallContext(this.clientName);
      return this.resilience.wrap(defer(() => this.sendOnce<T>(request, call)));
    });
  }

  /** The headers and URL a request would be sent with, credential values left as names only. */
  describe(request: AxiosRequestConfig): { url: string; headers: Record<string, unknown> } {
    const target = this.resolveTarget(request.url);
    const names = this.sendsCredential(target) ? (this.config.auth?.headerNames ?? []) : [];
    const masked = { headers: Object.fromEntries(names.map((name) => [name, '***'])) };
    return { url: target.url, headers: this.build(request, target, masked).axiosConfig.headers! };
  }

  private sendsCredential(target: RequestTarget): boolean {
    if (!this.config.auth || target.origin !== this.origin) return false;
    return !this.isExcluded(target.absolutePath, target.relativePath);
  }

  private sendOnce<T>(
    request: AxiosRequestConfig,
    call?: CallContext,
  ): Observable<AxiosResponse<T>> {
    // Only made when something reads it (`readsContext`), so present wherever it is used below.
    const context = call?.nextAttempt() as HookContext;
    const startedAt = call ? Date.now() : 0;
    const attempt = (prepared: PreparedAttempt): Observable<AxiosResponse<T>> => {
      const sent = prepared.axiosConfig;
      // Built on first use: only a failure, a logger or a hook needs it, not a plain success.
      let redactor: Redactor | undefined;
      const redactorNow = () => (redactor ??= this.redactorFor(prepared));
      const typed = (error: unknown) => this.typedFailure(error, prepared, redactorNow(), call);
      const sent$ = sendAttempt<T>(this.http, sent, sent.timeout, typed);
      const dpop = prepared.applied ? this.config.auth?.dpop : undefined;
      // RFC 9449 §8, §9: every answer of the origin may carry the nonce for the next proof.
      const response$ = dpop
        ? sent$.pipe(tap((response) => dpop.rememberNonce(prepared.target.url, response.headers)))
        : sent$;
      // Each operator costs every request; a client without logging or hooks skips them.
      if (!this.readsContext) return response$;
      return response$.pipe(
        tap((response) =>
          this.requestLogger?.responded(sent, response, startedAt, context, redactorNow()),
        ),
        mergeMap((response) =>
          this.hooks.isEmpty
            ? [response]
            : this.hooks.runLogged('afterResponse', response, context, redactorNow()),
        ),
        catchError((error: unknown) => {
          this.requestLogger?.failed(sent, error, startedAt, context, redactorNow());
          if (this.hooks.isEmpty) return throwError(() => error);
          return this.hooks
            .runLogged('onError', error, context, redactorNow())
            .then(() => Promise.reject(error));
        }),
      );
    };
    const prepared = this.prepare(request, context);
    // Without hooks and with a held (or static) credential, nothing here waits on a promise.
    return prepared instanceof Promise ? from(prepared).pipe(mergeMap(attempt)) : attempt(prepared);
  }

  /** The error typed once, with its failure (read from the request as sent) and credential. */
  private typedFailure(
    error: unknown,
    prepared: PreparedAttempt,
    redactor: Redactor,
    call: CallContext | undefined,
  ): unknown {
    const { axiosConfig, applied } = prepared;
    const credentialSent = applied !== undefined && !prepared.leftOrigin;
    const typed = toForgeException(error, {
      clientName: this.clientName,
      method: axiosConfig.method ?? 'GET',
      url: prepared.target.url,
      timeout: axiosConfig.timeout,
      redactor,
    });
    const failure = failureOf(error, axiosConfig, credentialSent);
    if (!failure) return typed;
    if (credentialSent) this.config.auth?.dpop?.rememberNonce(prepared.target.url, failure.headers);
    const sent = credentialSent ? applied : undefined;
    return attachFailure(typed, { ...failure, call, sent } as AttemptFailure);
  }

  /** The client's redactor plus the token sent: APIs echo tokens under keys no redactor knows. */
  private redactorFor({ applied, hopProofs }: PreparedAttempt): Redactor {
    if (!applied?.token) return this.redactor;
    const { accessToken, refreshToken } = applied.token;
    const sent = [...Object.values(applied.headers), ...hopProofs];
    return this.redactor.extend([], [...sent, accessToken, refreshToken]);
  }

  /** The attempt as it goes out: after hooks, with the credential; a promise only if one waits. */
  private prepare(
    original: AxiosRequestConfig,
    context: HookContext,
  ): PreparedAttempt | Promise<PreparedAttempt> {
    if (this.hooks.isEmpty) return this.withCredential(original);
    return this.hooks
      .beforeRequest({ ...original }, context)
      .then((request) => this.withCredential(request));
  }

  private withCredential(request: AxiosRequestConfig): PreparedAttempt | Promise<PreparedAttempt> {
    const target = this.resolveTarget(request.url);
    const method = (request.method ?? 'GET').toUpperCase();
    const applied = this.sendsCredential(target)
      ? this.config.auth?.apply({ method, url: target.url })
      : undefined;
    return applied instanceof Promise
      ? applied.then((credential) => this.build(request, target, credential))
      : this.build(request, target, applied);
  }

  private build(
    request: AxiosRequestConfig,
    target: RequestTarget,
    applied: AppliedAuth | undefined,
  ): PreparedAttempt {
    const auth = this.config.auth;
    // Object.assign, not `{ ...request, … }`: V8 copies a spread and then adds keys on a slow
    // path that cost about a tenth of a small request's CPU (bench/NOTES.md).
    const axiosConfig: AxiosRequestConfig = Object.assign({}, request, {
      method: (request.method ?? 'GET').toUpperCase(),
      url: target.url,
      baseURL: undefined,
      timeout: request.timeout ?? this.config.timeout,
      maxContentLength: request.maxContentLength ?? this.config.maxContentLength,
      headers: mergeHeaders(
        this.config.headers,
        applied?.headers,
        request.headers as Record<string, unknown> | undefined,
      ),
    });
    const prepared: PreparedAttempt = {
      axiosConfig,
      target,
      applied,
      leftOrigin: false,
      hopProofs: [],
    };
    if (auth) {
      const { dpop } = auth;
      const token = applied?.token;
      axiosConfig.beforeRedirect = stripCredentialsOnForeignRedirect(
        this.baseOrigin,
        auth.headerNames,
        request.beforeRedirect,
        () => (prepared.leftOrigin = true),
        dpop &&
          token &&
          ((method, url) => {
            const proof = dpop.proof(method, url, token.accessToken);
            prepared.hopProofs.push(proof);
            return proof;
          }),
      );
    }
    return prepared;
  }
}

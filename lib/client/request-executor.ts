import { HttpService } from '@nestjs/axios';
import { AxiosRequestConfig, AxiosResponse } from 'axios';
import { defer, from, mergeMap, Observable, throwError, catchError } from 'rxjs';
import { isSameOrigin, stripCredentialsOnForeignRedirect } from '../auth/origin-guard';
import { PathExclusion } from '../auth/path-exclusion';
import { AppliedAuth } from '../auth/request-auth.interface';
import { defaultRedactor, Redactor } from '../errors/redaction';
import { toForgeException } from '../errors/http-error.mapper';
import { mergeHeaders } from './header-merge';
import { HttpClientConfig } from './http-client-config';
import { RequestTarget, resolveTarget } from './request-target';

/** One attempt, ready to send. */
interface PreparedAttempt {
  axiosConfig: AxiosRequestConfig;
  /** The credential sent, if any (a caller-set header of the same name means none was). */
  applied?: AppliedAuth;
}

/**
 * The one request path of a ForgeClient: target → auth → HttpService → typed error.
 * Every verb funnels through `execute`, which returns a cold observable (one call per
 * subscription; unsubscribing aborts the request through HttpService's AbortController).
 */
export class RequestExecutor {
  readonly redactor: Redactor;
  private readonly baseOrigin: URL;
  private readonly exclusion: PathExclusion;

  constructor(
    private readonly config: HttpClientConfig,
    private readonly http: HttpService,
    private readonly clientName?: string,
  ) {
    this.baseOrigin = new URL(config.baseUrl);
    this.exclusion = new PathExclusion(config.excludedPaths, config.excludedPathPatterns);
    this.redactor = defaultRedactor.extend(
      config.auth?.headerNames ?? [],
      config.auth?.secrets ?? [],
    );
  }

  execute<T>(request: AxiosRequestConfig): Observable<AxiosResponse<T>> {
    return defer(() => {
      const target = resolveTarget(this.config.baseUrl, request.url);
      const method = (request.method ?? 'get').toUpperCase();
      return defer(() => from(this.prepare(request, target))).pipe(
        mergeMap((prepared) => this.http.request<T>(prepared.axiosConfig)),
        catchError((error: unknown) =>
          throwError(() =>
            toForgeException(error, {
              clientName: this.clientName,
              method,
              url: target.url,
              timeout: request.timeout ?? this.config.timeout,
              redactor: this.redactor,
            }),
          ),
        ),
      );
    });
  }

  /** True when a request to `target` carries this client's credential. */
  sendsCredential(target: RequestTarget): boolean {
    if (!this.config.auth || !isSameOrigin(this.baseOrigin, target.parsed)) return false;
    if (this.exclusion.isEmpty) return true;
    const candidates = [target.absolutePath];
    if (target.relativePath !== undefined) candidates.push(target.relativePath);
    return !this.exclusion.isExcluded(...candidates);
  }

  private async prepare(
    request: AxiosRequestConfig,
    target: RequestTarget,
  ): Promise<PreparedAttempt> {
    const auth = this.config.auth;
    const callerHeaders = request.headers as Record<string, unknown> | undefined;
    let applied: AppliedAuth | undefined;
    if (auth && this.sendsCredential(target)) {
      applied = await auth.apply();
    }
    const axiosConfig: AxiosRequestConfig = {
      ...request,
      url: target.url,
      baseURL: undefined,
      timeout: request.timeout ?? this.config.timeout,
      headers: mergeHeaders(this.config.headers, applied?.headers, callerHeaders),
    };
    if (auth) {
      axiosConfig.beforeRedirect = stripCredentialsOnForeignRedirect(
        this.baseOrigin,
        auth.headerNames,
        request.beforeRedirect,
      );
    }
    return { axiosConfig, applied };
  }
}

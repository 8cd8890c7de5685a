import { AxiosRequestConfig, isAxiosError } from 'axios';
import { MonoTypeOperatorFunction, catchError, throwError } from 'rxjs';
import { defaultRedactor } from '../../../lib/errors/redaction';
import { toForgeException } from '../../../lib/errors/http-error.mapper';
import { attachFailure, failureOf } from '../../../lib/retry/request-failure';

/**
 * Maps what a plain HttpService throws to request-forge's typed errors with the library's own
 * mapper, the way ForgeClient does (the failure read from the request as sent travels on the
 * typed error), so the operators can be shown to work on both kinds of error.
 */
export function typedErrors<T>(method: string): MonoTypeOperatorFunction<T> {
  return catchError((error: unknown) => {
    if (!isAxiosError(error)) return throwError(() => error);
    const sent: AxiosRequestConfig = error.config ?? {};
    const typed = toForgeException(error, {
      method,
      url: sent.url ?? '',
      redactor: defaultRedactor,
    });
    const failure = failureOf(error, sent);
    if (failure) attachFailure(typed, failure);
    return throwError(() => typed);
  });
}

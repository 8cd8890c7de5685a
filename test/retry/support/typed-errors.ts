import { AxiosHeaders, isAxiosError } from 'axios';
import { MonoTypeOperatorFunction, catchError, throwError } from 'rxjs';
import { ConnectionException, HttpStatusException, TimeoutException } from '../../../lib';

/**
 * Maps what a plain HttpService throws to request-forge's typed errors, the way ForgeClient does,
 * so the operators can be shown to work on both kinds of error.
 */
export function typedErrors<T>(method: string): MonoTypeOperatorFunction<T> {
  return catchError((error: unknown) => {
    if (!isAxiosError(error)) return throwError(() => error);
    if (error.response) {
      const headers = AxiosHeaders.from(error.response.headers as AxiosHeaders).toJSON() as Record<
        string,
        string
      >;
      return throwError(
        () =>
          new HttpStatusException(`${method} failed with ${error.response?.status}`, {
            status: error.response!.status,
            method,
            response: { headers, data: error.response!.data },
          }),
      );
    }
    if (error.code === 'ECONNABORTED') {
      return throwError(() => new TimeoutException(`${method} timed out`, { method }));
    }
    return throwError(
      () => new ConnectionException(`${method} failed`, { method, code: error.code }),
    );
  });
}

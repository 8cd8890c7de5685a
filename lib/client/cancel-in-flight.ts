import axios, { AxiosRequestConfig } from 'axios';
import { Observable } from 'rxjs';

/**
 * Sends `config` through `send` (an `HttpService` call) so that unsubscribing cancels the request
 * only while it is in flight. `HttpService` cancels on every teardown, also after the response
 * came, and axios then builds a `CanceledError` (stack trace included) that nobody sees: about a
 * quarter of the client-side CPU of a small loopback request (see BENCHMARKS.md).
 *
 * A request with its own `cancelToken`, or a stream, is passed through untouched: `HttpService`
 * leaves those alone on teardown too.
 */
export function cancelOnlyInFlight<T>(
  send: (config: AxiosRequestConfig) => Observable<T>,
  config: AxiosRequestConfig,
): Observable<T> {
  if (config.cancelToken || config.responseType === 'stream') return send(config);
  return new Observable<T>((subscriber) => {
    const source = axios.CancelToken.source();
    let inFlight = true;
    const subscription = send({ ...config, cancelToken: source.token }).subscribe({
      next: (value) => {
        // HttpService emits the response once; a `firstValueFrom` unsubscribes right here.
        inFlight = false;
        subscriber.next(value);
      },
      error: (error: unknown) => {
        inFlight = false;
        subscriber.error(error);
      },
      complete: () => {
        inFlight = false;
        subscriber.complete();
      },
    });
    return () => {
      subscription.unsubscribe();
      if (inFlight) source.cancel();
    };
  });
}

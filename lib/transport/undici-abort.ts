import { AxiosError, CanceledError, InternalAxiosRequestConfig } from 'axios';
import { EventEmitter } from 'node:events';

/** How one request can be stopped: the signal given to undici and why it fired. */
export interface Abort {
  /**
   * Emits `abort` once; undici takes an EventEmitter as a signal, and one costs a fraction of an
   * AbortController per request. Unlike a signal it does not remember: check `reason` first.
   */
  readonly signal: EventEmitter;
  /** What the request rejects with once aborted (axios' cancel reason or timeout error). */
  readonly reason?: unknown;
  dispose(): void;
}

/** One AbortSignal from axios' `cancelToken`, `signal` and `timeout`, rejecting as axios does. */
export function watchAbort(config: InternalAxiosRequestConfig, request: object): Abort {
  const signal = new EventEmitter();
  let reason: unknown;
  let timer: NodeJS.Timeout | undefined;
  const stop = (why: unknown) => {
    if (reason !== undefined) return;
    reason = why;
    signal.emit('abort');
  };
  const onCancel = (cancel: unknown) => stop(cancel ?? new CanceledError(undefined, config));
  const onSignal = () => stop(new CanceledError(undefined, config, request));
  const { cancelToken: token, signal: callerSignal, timeout } = config;
  token?.subscribe(onCancel);
  if (callerSignal?.aborted) onSignal();
  else callerSignal?.addEventListener?.('abort', onSignal);
  if (timeout && timeout > 0) {
    timer = setTimeout(() => {
      const clarify = config.transitional?.clarifyTimeoutError;
      stop(
        new AxiosError(
          config.timeoutErrorMessage ?? `timeout of ${timeout}ms exceeded`,
          clarify ? AxiosError.ETIMEDOUT : AxiosError.ECONNABORTED,
          config,
          request,
        ),
      );
    }, timeout);
  }
  return {
    signal,
    get reason() {
      return reason;
    },
    dispose: () => {
      if (timer) clearTimeout(timer);
      token?.unsubscribe(onCancel);
      callerSignal?.removeEventListener?.('abort', onSignal);
    },
  };
}

import type * as Undici from 'undici';
import { ConfigurationException } from '../errors';

export type UndiciModule = typeof Undici;

let loading: Promise<UndiciModule> | undefined;

/**
 * undici is an optional peer: it is loaded on the first request of the first client that asks
 * for the `'undici'` transport, so an app that never does needs it neither installed nor loaded.
 */
export function loadUndici(): Promise<UndiciModule> {
  loading ??= import('undici').catch((cause: unknown) => {
    loading = undefined;
    throw new ConfigurationException(
      'transport "undici" needs the undici package (npm install undici@^7), which could not be ' +
        'loaded',
      { field: 'transport', cause },
    );
  });
  return loading;
}

import { ForgeClientOptions } from './client-options.interface';

export const CLIENT_OPTION_KEYS: readonly (keyof ForgeClientOptions)[] = [
  'baseUrl',
  'timeout',
  'headers',
  'auth',
  'excludedPaths',
  'excludedPathPatterns',
  'storage',
  'refreshSkew',
  'failureBackoff',
  'lock',
  'retry',
  'authRetry',
  'circuitBreaker',
  'deadline',
  'maxContentLength',
  'transport',
  'logging',
  'hooks',
];

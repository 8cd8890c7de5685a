import { OptionChecker } from '../errors/option-checker';
import {
  AuthRetryStrategy,
  ExponentialAuthRetryOptions,
  ExponentialAuthRetryStrategy,
  SimpleAuthRetryOptions,
  SimpleAuthRetryStrategy,
} from './auth-retry-strategies';
import { CircuitBreaker, CircuitBreakerOptions } from './circuit-breaker';
import {
  ExponentialBackoffRetryOptions,
  ExponentialBackoffRetryStrategy,
} from './exponential-backoff-retry-strategy';
import { NoRetryStrategy, RetryStrategy } from './retry-strategy';
import { SimpleRetryOptions, SimpleRetryStrategy } from './simple-retry-strategy';

type Plain<T> = Omit<T, 'random' | 'now'>;

/** Request retries as plain data (module options, YAML, env). */
export type RetryStrategyConfig =
  | { type: 'none' }
  | ({ type: 'simple' } & Plain<SimpleRetryOptions>)
  | ({ type: 'exponential' } & Plain<ExponentialBackoffRetryOptions>);

/** Auth retries as plain data. `ConditionalAuthRetryStrategy` needs code: pass an instance. */
export type AuthRetryStrategyConfig =
  | ({ type: 'simple' } & SimpleAuthRetryOptions)
  | ({ type: 'exponential' } & Plain<ExponentialAuthRetryOptions>);

export type CircuitBreakerConfig = Pick<
  CircuitBreakerOptions,
  'failureThreshold' | 'recoveryTimeout' | 'halfOpenMaxCalls'
>;

/** Where a config sits, for error messages: `{ field: 'retry', clientName: 'billing' }`. */
export interface ConfigLocation {
  field?: string;
  clientName?: string;
}

const RETRY_FIELDS = {
  none: ['type'],
  simple: ['type', 'maxRetries', 'delay', 'maxDelay', 'retryableStatusCodes'],
  exponential: [
    'type',
    'maxRetries',
    'baseDelay',
    'maxDelay',
    'multiplier',
    'jitter',
    'retryableStatusCodes',
  ],
} as const;

const AUTH_RETRY_FIELDS = {
  simple: ['type', 'maxRetries', 'delay'],
  exponential: ['type', 'maxRetries', 'baseDelay', 'maxDelay', 'multiplier', 'jitter'],
} as const;

const CIRCUIT_BREAKER_FIELDS = ['failureThreshold', 'recoveryTimeout', 'halfOpenMaxCalls'];

/** A `RetryStrategy` from plain options; an instance is returned as is. */
export function createRetryStrategy(
  config: RetryStrategyConfig | RetryStrategy,
  location: ConfigLocation = {},
): RetryStrategy {
  if (hasRetryDelay(config)) return config;
  const check = checkerAt(location, 'retry');
  const plain = checkedConfig(config, RETRY_FIELDS, check);
  return check.relabel(() => {
    if (plain.type === 'none') return new NoRetryStrategy();
    const { type: _type, ...options } = plain;
    if (plain.type === 'simple') return new SimpleRetryStrategy(options);
    return new ExponentialBackoffRetryStrategy(options);
  });
}

/** An `AuthRetryStrategy` from plain options; an instance is returned as is. */
export function createAuthRetryStrategy(
  config: AuthRetryStrategyConfig | AuthRetryStrategy,
  location: ConfigLocation = {},
): AuthRetryStrategy {
  if (hasRetryDelay(config)) return config;
  const check = checkerAt(location, 'authRetry');
  const plain = checkedConfig(config, AUTH_RETRY_FIELDS, check);
  const { type: _type, ...options } = plain;
  return check.relabel(() =>
    plain.type === 'simple'
      ? new SimpleAuthRetryStrategy(options)
      : new ExponentialAuthRetryStrategy(options),
  );
}

/** A `CircuitBreaker` from plain options; an instance is returned as is. */
export function createCircuitBreaker(
  config: CircuitBreakerConfig | CircuitBreaker,
  location: ConfigLocation = {},
): CircuitBreaker {
  if (config instanceof CircuitBreaker) return config;
  const check = checkerAt(location, 'circuitBreaker');
  check.record('', config);
  check.knownKeys(config, CIRCUIT_BREAKER_FIELDS);
  return check.relabel(
    () =>
      new CircuitBreaker({
        ...config,
        ...(location.clientName !== undefined ? { name: location.clientName } : {}),
      }),
  );
}

/** The checker of the object at `location.field` (default `field`) of a client, or unowned. */
function checkerAt(location: ConfigLocation, field: string): OptionChecker {
  const owner =
    location.clientName === undefined
      ? new OptionChecker('request-forge')
      : OptionChecker.forClient(location.clientName);
  return owner.at(location.field ?? field);
}

function checkedConfig<C extends { type: string }>(
  config: C,
  fieldsByType: Record<string, readonly string[]>,
  check: OptionChecker,
): C {
  check.record('', config);
  const type = check.oneOf('type', config.type, Object.keys(fieldsByType));
  check.knownKeys(config, fieldsByType[type]);
  return config;
}

function hasRetryDelay<S extends { retryDelay: unknown }>(
  config: S | { type: string },
): config is S {
  return typeof (config as { retryDelay?: unknown } | null)?.retryDelay === 'function';
}

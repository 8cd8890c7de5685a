import { ConfigurationException } from '../errors';
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
import { OptionValidator } from './option-validation';
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
  const plain = checkedConfig(config, RETRY_FIELDS, location, 'retry');
  return rethrownAt(location, 'retry', () => {
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
  const plain = checkedConfig(config, AUTH_RETRY_FIELDS, location, 'authRetry');
  const { type: _type, ...options } = plain;
  return rethrownAt(location, 'authRetry', () =>
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
  const field = location.field ?? 'circuitBreaker';
  const check = new OptionValidator(ownerOf(location), field, location.clientName);
  if (!config || typeof config !== 'object') check.fail('', 'must be an object', config);
  check.knownFields(config, CIRCUIT_BREAKER_FIELDS);
  return rethrownAt(
    location,
    'circuitBreaker',
    () =>
      new CircuitBreaker({
        ...config,
        ...(location.clientName !== undefined ? { name: location.clientName } : {}),
      }),
  );
}

function checkedConfig<C extends { type: string }>(
  config: C,
  fieldsByType: Record<string, readonly string[]>,
  location: ConfigLocation,
  defaultField: string,
): C {
  const check = new OptionValidator(
    ownerOf(location),
    location.field ?? defaultField,
    location.clientName,
  );
  if (!config || typeof config !== 'object') check.fail('type', 'must be set', config);
  const known = fieldsByType[config.type];
  if (!Object.hasOwn(fieldsByType, config.type) || !known) {
    check.fail('type', `must be one of ${Object.keys(fieldsByType).join(', ')}`, config.type);
  }
  check.knownFields(config, known);
  return config;
}

/** Re-labels a constructor's validation error with the config path and client. */
function rethrownAt<T>(location: ConfigLocation, defaultField: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof ConfigurationException) || !error.field) throw error;
    const field = `${location.field ?? defaultField}.${error.field}`;
    throw new ConfigurationException(`${ownerOf(location)}: ${field}: ${error.message}`, {
      field,
      ...(location.clientName !== undefined ? { clientName: location.clientName } : {}),
    });
  }
}

function ownerOf(location: ConfigLocation): string {
  return location.clientName === undefined ? 'request-forge' : `client "${location.clientName}"`;
}

function hasRetryDelay<S extends { retryDelay: unknown }>(
  config: S | { type: string },
): config is S {
  return typeof (config as { retryDelay?: unknown } | null)?.retryDelay === 'function';
}

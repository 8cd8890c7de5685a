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
  NoRetryStrategy,
  RetryStrategy,
  SimpleRetryOptions,
  SimpleRetryStrategy,
} from './retry-strategy';

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

/** Each `type` of plain config: the options it takes and the strategy they build. */
interface ConfigTypes<S> {
  [type: string]: { fields: readonly string[]; build(options: object): S };
}

const BACKOFF_FIELDS = ['maxRetries', 'baseDelay', 'maxDelay', 'multiplier', 'jitter'];

const RETRY_TYPES: ConfigTypes<RetryStrategy> = {
  none: { fields: [], build: () => new NoRetryStrategy() },
  simple: {
    fields: ['maxRetries', 'delay', 'maxDelay', 'retryableStatusCodes'],
    build: (options) => new SimpleRetryStrategy(options),
  },
  exponential: {
    fields: [...BACKOFF_FIELDS, 'retryableStatusCodes'],
    build: (options) => new ExponentialBackoffRetryStrategy(options),
  },
};

const AUTH_RETRY_TYPES: ConfigTypes<AuthRetryStrategy> = {
  simple: {
    fields: ['maxRetries', 'delay'],
    build: (options) => new SimpleAuthRetryStrategy(options),
  },
  exponential: {
    fields: BACKOFF_FIELDS,
    build: (options) => new ExponentialAuthRetryStrategy(options),
  },
};

const CIRCUIT_BREAKER_FIELDS = ['failureThreshold', 'recoveryTimeout', 'halfOpenMaxCalls'];

/** A `RetryStrategy` from plain options; an instance is returned as is. */
export function createRetryStrategy(
  config: RetryStrategyConfig | RetryStrategy,
  clientName?: string,
): RetryStrategy {
  if (hasRetryDelay(config)) return config;
  return fromConfig(config, RETRY_TYPES, OptionChecker.forClient(clientName, 'retry.'));
}

/** An `AuthRetryStrategy` from plain options; an instance is returned as is. */
export function createAuthRetryStrategy(
  config: AuthRetryStrategyConfig | AuthRetryStrategy,
  clientName?: string,
): AuthRetryStrategy {
  if (hasRetryDelay(config)) return config;
  return fromConfig(config, AUTH_RETRY_TYPES, OptionChecker.forClient(clientName, 'authRetry.'));
}

/** A `CircuitBreaker` from plain options. */
export function createCircuitBreaker(
  config: CircuitBreakerConfig,
  clientName?: string,
): CircuitBreaker {
  const check = OptionChecker.forClient(clientName, 'circuitBreaker.');
  check.record('', config);
  if ((config as unknown) instanceof CircuitBreaker) {
    // A breaker's state is its client's own: two clients sharing one would trip each other.
    check.fail('', 'takes options, not a CircuitBreaker: each client builds its own from them');
  }
  check.knownKeys(config, CIRCUIT_BREAKER_FIELDS);
  return check.relabel(() => new CircuitBreaker({ ...config, name: clientName }));
}

/** Checks `type` and the keys it takes, then builds it; its errors name `check`'s field. */
function fromConfig<S>(config: { type: string }, types: ConfigTypes<S>, check: OptionChecker): S {
  check.record('', config);
  const type = check.oneOf('type', config.type, Object.keys(types));
  check.knownKeys(config, ['type', ...types[type].fields]);
  const { type: _type, ...options } = config;
  return check.relabel(() => types[type].build(options));
}

function hasRetryDelay<S extends { retryDelay: unknown }>(
  config: S | { type: string },
): config is S {
  return typeof (config as { retryDelay?: unknown } | null)?.retryDelay === 'function';
}

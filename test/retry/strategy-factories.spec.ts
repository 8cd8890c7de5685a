import {
  CircuitBreaker,
  ConditionalAuthRetryStrategy,
  ConfigurationException,
  ExponentialAuthRetryStrategy,
  ExponentialBackoffRetryStrategy,
  NoRetryStrategy,
  SimpleAuthRetryStrategy,
  SimpleRetryStrategy,
} from '../../lib';
import {
  createAuthRetryStrategy,
  createCircuitBreaker,
  createRetryStrategy,
} from '../../lib/retry/strategy-factories';

function configError(build: () => unknown): ConfigurationException {
  try {
    build();
  } catch (error) {
    if (error instanceof ConfigurationException) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationException');
}

describe('createRetryStrategy', () => {
  it('builds each type from plain options, with the documented defaults', () => {
    expect(createRetryStrategy({ type: 'none' })).toBeInstanceOf(NoRetryStrategy);
    const simple = createRetryStrategy({ type: 'simple', delay: 50 }) as SimpleRetryStrategy;
    expect(simple).toBeInstanceOf(SimpleRetryStrategy);
    expect([simple.maxRetries, simple.delay]).toEqual([3, 50]);
    const exponential = createRetryStrategy({
      type: 'exponential',
      maxRetries: 5,
    }) as ExponentialBackoffRetryStrategy;
    expect(exponential).toMatchObject({
      maxRetries: 5,
      baseDelay: 1_000,
      maxDelay: 60_000,
      multiplier: 2,
      jitter: true,
      retryableStatusCodes: [408, 429, 500, 502, 503, 504],
    });
  });

  it('returns a strategy instance as it is', () => {
    const strategy = new SimpleRetryStrategy();
    expect(createRetryStrategy(strategy)).toBe(strategy);
  });

  it('names the client and the field of a bad value', () => {
    const error = configError(() =>
      createRetryStrategy({ type: 'exponential', maxRetries: -1 }, 'billing'),
    );
    expect(error.field).toBe('retry.maxRetries');
    expect(error.clientName).toBe('billing');
    expect(error.message).toBe(
      'Client "billing": retry.maxRetries must be a non-negative whole number, got -1',
    );
  });

  it('rejects unknown types, unknown fields and inconsistent delays', () => {
    const config = (value: unknown) => value as Parameters<typeof createRetryStrategy>[0];
    expect(configError(() => createRetryStrategy(config({ type: 'linear' }))).field).toBe(
      'retry.type',
    );
    expect(
      configError(() => createRetryStrategy(config({ type: 'simple', maxRetry: 2 }))).field,
    ).toBe('retry.maxRetry');
    expect(
      configError(() =>
        createRetryStrategy({ type: 'exponential', baseDelay: 5_000, maxDelay: 1_000 }),
      ).field,
    ).toBe('retry.baseDelay');
    expect(
      configError(() => createRetryStrategy({ type: 'simple', retryableStatusCodes: [700] })).field,
    ).toBe('retry.retryableStatusCodes');
  });
});

describe('createAuthRetryStrategy', () => {
  it('builds simple and exponential strategies with the documented defaults', () => {
    expect(createAuthRetryStrategy({ type: 'simple' })).toMatchObject({ maxRetries: 1, delay: 0 });
    const exponential = createAuthRetryStrategy({ type: 'exponential' });
    expect(exponential).toBeInstanceOf(ExponentialAuthRetryStrategy);
    expect(exponential).toMatchObject({
      maxRetries: 3,
      baseDelay: 500,
      maxDelay: 5_000,
      multiplier: 2,
      jitter: true,
    });
  });

  it('accepts a ConditionalAuthRetryStrategy instance', () => {
    const conditional = new ConditionalAuthRetryStrategy({ shouldRetry: () => true });
    expect(createAuthRetryStrategy(conditional)).toBe(conditional);
  });

  it('names the field of a bad value', () => {
    const error = configError(() => createAuthRetryStrategy({ type: 'simple', delay: -5 }));
    expect(error.field).toBe('authRetry.delay');
  });
});

describe('createCircuitBreaker', () => {
  it('builds a breaker from plain options', () => {
    const breaker = createCircuitBreaker({ failureThreshold: 2 });
    expect(breaker).toBeInstanceOf(CircuitBreaker);
    expect(breaker).toMatchObject({
      failureThreshold: 2,
      recoveryTimeout: 30_000,
      halfOpenMaxCalls: 1,
    });
  });

  it('names the field of a bad value', () => {
    const error = configError(() =>
      createCircuitBreaker({ recoveryTimeout: Number.NaN }, 'billing'),
    );
    expect(error.field).toBe('circuitBreaker.recoveryTimeout');
    expect(error.clientName).toBe('billing');
  });
});

describe('strategy constructors', () => {
  it('validate their options', () => {
    expect(configError(() => new SimpleRetryStrategy({ maxRetries: 1.5 })).field).toBe(
      'maxRetries',
    );
    expect(configError(() => new ExponentialBackoffRetryStrategy({ multiplier: 0.5 })).field).toBe(
      'multiplier',
    );
    expect(configError(() => new SimpleAuthRetryStrategy({ maxRetries: -1 })).field).toBe(
      'maxRetries',
    );
    const noPredicate = {} as ConstructorParameters<typeof ConditionalAuthRetryStrategy>[0];
    expect(configError(() => new ConditionalAuthRetryStrategy(noPredicate)).field).toBe(
      'shouldRetry',
    );
  });
});

import { ConfigurationException } from '../errors';

/**
 * Checks one option value; throws a `ConfigurationException` whose message and `field` name it.
 * `owner` is what is being configured (a class name or a config path such as `retry`).
 */
export class OptionValidator {
  constructor(
    private readonly owner: string,
    private readonly fieldPrefix = '',
    private readonly clientName?: string,
  ) {}

  nonNegativeInteger(field: string, value: unknown): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      this.fail(field, 'must be a non-negative integer', value);
    }
    return value;
  }

  positiveInteger(field: string, value: unknown): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      this.fail(field, 'must be a positive integer', value);
    }
    return value;
  }

  duration(field: string, value: unknown): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      this.fail(field, 'must be a non-negative number of milliseconds', value);
    }
    return value;
  }

  atLeastOne(field: string, value: unknown): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 1) {
      this.fail(field, 'must be a number >= 1', value);
    }
    return value;
  }

  boolean(field: string, value: unknown): boolean {
    if (typeof value !== 'boolean') this.fail(field, 'must be true or false', value);
    return value;
  }

  func<F>(field: string, value: F): F {
    if (typeof value !== 'function') this.fail(field, 'must be a function', value);
    return value;
  }

  statusCodes(field: string, value: unknown): number[] {
    const valid =
      Array.isArray(value) &&
      value.every(
        (code) => typeof code === 'number' && Number.isInteger(code) && code >= 100 && code <= 599,
      );
    if (!valid) this.fail(field, 'must be a list of HTTP status codes (100-599)', value);
    return [...(value as number[])];
  }

  /** `lower` must not exceed `upper` (e.g. baseDelay <= maxDelay). */
  notAbove(field: string, value: number, upperField: string, upper: number): void {
    if (value > upper) this.fail(field, `must not exceed ${upperField} (${upper})`, value);
  }

  /** Rejects fields this config does not know, so a typo (`maxRetry`) is not silently ignored. */
  knownFields(config: object, known: readonly string[]): void {
    for (const key of Object.keys(config)) {
      if (!known.includes(key)) {
        throw new ConfigurationException(
          `${this.owner}: unknown option ${this.path(key)} (expected one of ${known.join(', ')})`,
          { field: this.path(key), ...this.client() },
        );
      }
    }
  }

  fail(field: string, problem: string, value: unknown): never {
    throw new ConfigurationException(
      `${this.owner}: ${this.path(field)} ${problem} (got ${describe(value)})`,
      { field: this.path(field), ...this.client() },
    );
  }

  private path(field: string): string {
    if (!this.fieldPrefix) return field;
    return field ? `${this.fieldPrefix}.${field}` : this.fieldPrefix;
  }

  private client(): { clientName?: string } {
    return this.clientName === undefined ? {} : { clientName: this.clientName };
  }
}

function describe(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (Array.isArray(value)) return 'a list';
  return String(value);
}

import { isVisibleHeaderValue } from '../transport/header-values';
import { ConfigurationException } from './exceptions';

/** The bare problem of each exception a checker threw, so a caller can re-label the field. */
const problems = new WeakMap<ConfigurationException, { field: string; problem: string }>();

/**
 * The one validator of options, module and programmatic alike. Every message has one shape,
 * `<owner>: <field> <problem>`, e.g. `Client "svc": auth.clientSecret must be a string, got
 * number`. Values are never quoted (they may be secrets): a wrong type is named, not shown.
 */
export class OptionChecker {
  /**
   * @param owner what is configured: `Client "svc"` or a class name
   * @param prefix path of the checked object inside the owner's options, e.g. `auth.`
   */
  constructor(
    readonly owner: string,
    private readonly prefix = '',
    private readonly clientName?: string,
  ) {}

  /** The checker of a client's options; without a client name, of `owner`'s. */
  static forClient(clientName: string | undefined, prefix = '', owner = 'request-forge') {
    if (clientName === undefined) return new OptionChecker(owner, prefix);
    return new OptionChecker(`Client "${clientName}"`, prefix, clientName);
  }

  /** A checker for the object at `field` (`auth`, `retry`, `steps[1]`). */
  at(field: string): OptionChecker {
    return new OptionChecker(this.owner, `${this.path(field)}.`, this.clientName);
  }

  /** Throws the ConfigurationException; an empty `field` means the checked object itself. */
  fail(field: string, problem: string): never {
    const path = this.path(field);
    const message = path ? `${this.owner}: ${path} ${problem}` : `${this.owner} ${problem}`;
    const error = new ConfigurationException(message, { field: path, clientName: this.clientName });
    problems.set(error, { field: path, problem });
    throw error;
  }

  /** Runs `build` and re-labels its ConfigurationException: `Client "svc": retry.maxRetries`. */
  relabel<T>(build: () => T): T {
    try {
      return build();
    } catch (error) {
      const known = error instanceof ConfigurationException ? problems.get(error) : undefined;
      if (!known) throw error;
      return this.fail(known.field, known.problem);
    }
  }

  record(field: string, value: unknown): Record<string, unknown> {
    if (!isRecord(value)) this.fail(field, `must be an object, got ${kindOf(value)}`);
    return value;
  }

  /** Rejects keys `known` does not list, with the closest known key as a hint. */
  knownKeys(value: object, known: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      const guess = closest(known, key);
      this.fail(key, `is not a known option${guess ? ` (did you mean "${guess}"?)` : ''}`);
    }
  }

  string(field: string, value: unknown): string {
    if (value === undefined || value === null) this.fail(field, 'is required');
    if (typeof value !== 'string') this.fail(field, `must be a string, got ${kindOf(value)}`);
    if (value.trim() === '') this.fail(field, 'must not be empty');
    return value;
  }

  optionalString(field: string, value: unknown): string | undefined {
    return value === undefined ? undefined : this.string(field, value);
  }

  oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.fail(field, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
    }
    return value as T;
  }

  /** A finite number: `min` / `positive` bound it, `integer` for counts, `unit` names it. */
  number(field: string, value: unknown, rule: NumberRule = {}): number {
    const what = describeNumber(rule);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.fail(field, `must be ${what}, got ${kindOf(value)}`);
    }
    const outside =
      (rule.integer && !Number.isInteger(value)) ||
      (rule.min !== undefined && value < rule.min) ||
      (rule.positive && value <= 0);
    if (outside) this.fail(field, `must be ${what}, got ${value}`);
    return value;
  }

  /** A non-negative number of milliseconds. */
  duration(field: string, value: unknown): number {
    return this.number(field, value, { min: 0, unit: 'milliseconds' });
  }

  optionalPositiveDuration(field: string, value: unknown): number | undefined {
    if (value === undefined) return undefined;
    return this.number(field, value, { positive: true, unit: 'milliseconds' });
  }

  count(field: string, value: unknown, min = 0): number {
    return this.number(field, value, { min, integer: true });
  }

  optionalPositiveInteger(field: string, value: unknown, unit?: string): number | undefined {
    if (value === undefined) return undefined;
    return this.number(field, value, { min: 1, integer: true, unit });
  }

  boolean(field: string, value: unknown): boolean {
    if (typeof value !== 'boolean') this.fail(field, `must be true or false, got ${kindOf(value)}`);
    return value;
  }

  func<F>(field: string, value: F): F {
    if (typeof value !== 'function') this.fail(field, `must be a function, got ${kindOf(value)}`);
    return value;
  }

  /** `value` must not exceed the option `upperField` (e.g. baseDelay <= maxDelay). */
  notAbove(field: string, value: number, upperField: string, upper: number): void {
    if (value > upper) this.fail(field, `must not exceed ${upperField} (${upper})`);
  }

  statusCodes(field: string, value: unknown): number[] {
    const valid =
      Array.isArray(value) &&
      value.every((code) => Number.isInteger(code) && code >= 100 && code <= 599);
    if (!valid) this.fail(field, 'must be a list of HTTP status codes (100-599)');
    return [...(value as number[])];
  }

  stringArray(field: string, value: unknown): string[] {
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
      this.fail(field, 'must be an array of non-empty strings');
    }
    return value as string[];
  }

  /** RFC 9110 §5.1: a field name is a token. */
  headerName(field: string, value: unknown): string {
    const name = this.string(field, value);
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
      this.fail(field, 'is not a valid HTTP header name');
    }
    return name;
  }

  /** A string sent as a header value as it is: visible ASCII, never quoted (it may be a secret). */
  headerValue(field: string, value: unknown): string {
    const text = this.string(field, value);
    if (!isVisibleHeaderValue(text)) {
      this.fail(field, 'must be visible ASCII (no line breaks, control or non-ASCII characters)');
    }
    return text;
  }

  headerRecord(field: string, value: unknown): Record<string, string> {
    if (value === undefined) return {};
    const record = this.record(field, value);
    const out: Record<string, string> = {};
    for (const [name, headerValue] of Object.entries(record)) {
      this.headerName(`${field}.${name}`, name);
      out[name] = this.headerValue(`${field}.${name}`, headerValue);
    }
    return out;
  }

  /** An absolute http(s) URL; never quoted, since it may carry credentials. */
  httpUrl(field: string, value: unknown): URL {
    const text = this.string(field, value);
    if (!URL.canParse(text)) this.fail(field, 'must be an absolute http(s) URL');
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      this.fail(field, `must use http or https, got "${url.protocol}"`);
    }
    return url;
  }

  private path(field: string): string {
    if (!field) return this.prefix.replace(/\.$/, '');
    return `${this.prefix}${field}`;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface NumberRule {
  min?: number;
  positive?: boolean;
  integer?: boolean;
  unit?: string;
}

/** `a positive whole number of bytes`, `a non-negative number of milliseconds`, `a number >= 1`. */
function describeNumber(rule: NumberRule): string {
  const noun = `${rule.integer ? 'whole number' : 'number'}${rule.unit ? ` of ${rule.unit}` : ''}`;
  if (rule.positive || (rule.integer && rule.min === 1)) return `a positive ${noun}`;
  if (rule.min === 0) return `a non-negative ${noun}`;
  return `a ${noun}${rule.min !== undefined ? ` >= ${rule.min}` : ''}`;
}

/** What a value is, never what it holds. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'function') return 'a function';
  return typeof value;
}

/** The known key closest to a typo: same but for case, a prefix, else at most 2 edits away. */
function closest(known: readonly string[], key: string): string | undefined {
  const b = key.toLowerCase();
  const distance = (a: string) =>
    a === b || a.startsWith(b) || b.startsWith(a) ? 0 : editDistance(a, b);
  const ranked = known.map((candidate) => ({ candidate, d: distance(candidate.toLowerCase()) }));
  return ranked.filter((r) => r.d <= 2).sort((x, y) => x.d - y.d)[0]?.candidate;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

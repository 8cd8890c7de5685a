import { ConfigurationException } from '../errors';

/** Builds ConfigurationExceptions that name the client (when known) and the field. */
export class ConfigProblem {
  constructor(private readonly clientName?: string) {}

  fail(field: string, problem: string): never {
    const where = this.clientName ? `Client "${this.clientName}": ` : '';
    throw new ConfigurationException(`${where}${field} ${problem}`, {
      field,
      ...(this.clientName ? { clientName: this.clientName } : {}),
    });
  }

  requireString(field: string, value: unknown): string {
    if (typeof value !== 'string' || value.trim() === '') {
      this.fail(field, value === undefined ? 'is required' : 'must be a non-empty string');
    }
    return value;
  }

  optionalPositiveInt(field: string, value: unknown): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      this.fail(field, 'must be a positive integer');
    }
    return value;
  }

  httpUrl(field: string, value: unknown): URL {
    const text = this.requireString(field, value);
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return this.fail(field, `must be an absolute http(s) URL, got "${text}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      this.fail(field, `must use http or https, got "${url.protocol}"`);
    }
    if (url.username || url.password) this.fail(field, 'must not contain credentials');
    if (url.search || url.hash) this.fail(field, 'must not contain a query string or fragment');
    return url;
  }

  stringArray(field: string, value: unknown): string[] {
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
      this.fail(field, 'must be an array of non-empty strings');
    }
    return value as string[];
  }

  headerRecord(field: string, value: unknown): Record<string, string> {
    if (value === undefined) return {};
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(field, 'must be an object of header names to string values');
    }
    const out: Record<string, string> = {};
    for (const [name, v] of Object.entries(value)) {
      this.headerName(`${field}.${name}`, name);
      if (typeof v !== 'string') this.fail(`${field}.${name}`, 'must be a string');
      out[name] = v;
    }
    return out;
  }

  headerName(field: string, name: unknown): string {
    const text = this.requireString(field, name);
    // RFC 9110 §5.1: a field name is a token.
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(text)) {
      this.fail(field, 'is not a valid HTTP header name');
    }
    return text;
  }
}

import { ConfigurationException } from '../errors';
import { findPlaceholders } from './placeholders';
import { RequestDataValue } from './token-fetcher.options';

/** Step names appear in `{{placeholders}}` and storage keys, so they stay plain. */
const STEP_NAME = /^[A-Za-z0-9_.-]+$/;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH'];
const NAME_FIELDS = [
  'tokenField',
  'tokenHeader',
  'tokenTypeField',
  'expiresInField',
  'refreshTokenField',
] as const;

/** Where a step's options come from, so that messages name it the way the user wrote it. */
export interface OptionsSource {
  /** e.g. `Pipeline step 'user_token'` or `RequestForge client 'crm': auth.steps[1] ('user_token')` */
  label: string;
  /** Prefix of the `field` the exception carries, e.g. `auth.steps[1].` */
  fieldPrefix?: string;
  clientName?: string;
}

export function stepLabel(options: unknown): string {
  const name = isRecord(options) ? options.name : undefined;
  return typeof name === 'string' && name ? `Pipeline step '${name}'` : 'Pipeline step';
}

/**
 * Checks a step's options as they come from plain config (YAML, env), so nothing is trusted to
 * match its TypeScript type. Values are never echoed: they may be passwords.
 */
export function validateFetcherOptions(options: unknown, source: OptionsSource): void {
  const fail = (field: string, problem: string): never => {
    throw new ConfigurationException(`${source.label}: ${field} ${problem}`, {
      field: `${source.fieldPrefix ?? ''}${field}`,
      ...(source.clientName !== undefined ? { clientName: source.clientName } : {}),
    });
  };
  if (!isRecord(options)) return fail('options', 'must be an object');
  const o = options;

  if (typeof o.name !== 'string' || !STEP_NAME.test(o.name)) {
    fail('name', 'must be a non-empty string of letters, digits, _ . or -');
  }
  if (typeof o.baseUrl !== 'string' || !isHttpUrl(o.baseUrl)) {
    fail('baseUrl', 'must be an absolute http(s) URL');
  }
  if (typeof o.endpoint !== 'string' || /^[a-z][a-z0-9+.-]*:/i.test(o.endpoint)) {
    fail('endpoint', 'must be a path under baseUrl');
  }
  if (o.method !== undefined && !(typeof o.method === 'string' && isMethod(o.method))) {
    fail('method', `must be one of ${METHODS.join(', ')}`);
  }
  if (o.contentType !== undefined && o.contentType !== 'form' && o.contentType !== 'json') {
    fail('contentType', "must be 'form' or 'json'");
  }
  for (const field of NAME_FIELDS) {
    const value = o[field];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
      fail(field, 'must be a non-empty string');
    }
  }
  for (const field of ['ttl', 'timeout'] as const) {
    const value = o[field];
    if (
      value !== undefined &&
      !(typeof value === 'number' && Number.isFinite(value) && value > 0)
    ) {
      fail(field, 'must be a positive number of milliseconds');
    }
  }
  const maxBytes = o.maxTokenResponseBytes;
  if (maxBytes !== undefined && !(Number.isSafeInteger(maxBytes) && (maxBytes as number) > 0)) {
    fail('maxTokenResponseBytes', 'must be a positive whole number of bytes');
  }

  const dependsOn = o.dependsOn ?? [];
  if (!Array.isArray(dependsOn) || dependsOn.some((d) => typeof d !== 'string' || d === '')) {
    fail('dependsOn', 'must be an array of step names');
  }

  if (o.requestHeaders !== undefined) {
    if (!isRecord(o.requestHeaders)) fail('requestHeaders', 'must be an object');
    for (const [header, value] of Object.entries(o.requestHeaders as Record<string, unknown>)) {
      if (typeof value !== 'string') fail(`requestHeaders.${header}`, 'must be a string');
    }
  }
  if (o.requestData !== undefined) {
    if (!isRecord(o.requestData)) fail('requestData', 'must be an object');
    const flat = o.contentType !== 'json';
    for (const [key, value] of Object.entries(o.requestData as Record<string, unknown>)) {
      if (flat ? !isScalar(value) : !isJsonValue(value, 0)) {
        fail(
          `requestData.${key}`,
          flat
            ? "must be a string, number or boolean (use contentType 'json' for nested data)"
            : 'must be JSON data',
        );
      }
    }
  }

  const placeholders = [
    ...findPlaceholders(o.requestHeaders as RequestDataValue | undefined, 'requestHeaders'),
    ...findPlaceholders(o.requestData as RequestDataValue | undefined, 'requestData'),
  ];
  for (const { path, step } of placeholders) {
    if (!(dependsOn as string[]).includes(step)) {
      fail(path, `uses {{${step}}} but '${step}' is not in dependsOn`);
    }
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function isMethod(method: string): boolean {
  return METHODS.includes(method.toUpperCase());
}

function isScalar(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function isJsonValue(value: unknown, depth: number): boolean {
  if (depth > 20) return false;
  if (value === null || isScalar(value)) return true;
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  if (isRecord(value)) return Object.values(value).every((item) => isJsonValue(item, depth + 1));
  return false;
}

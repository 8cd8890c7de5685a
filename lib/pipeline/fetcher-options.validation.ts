import { isRecord, OptionChecker } from '../errors/option-checker';
import { fillPlaceholders, placeholdersIn, textsIn } from './placeholders';
import { RequestDataValue } from './token-fetcher.options';

/** Step names appear in `{{placeholders}}` and storage keys, so they stay plain. */
const STEP_NAME = /^[A-Za-z0-9_.-]+$/;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH'];
/** Options that name where the token and its fields are. */
export const NAME_FIELDS = [
  'tokenField',
  'tokenHeader',
  'tokenTypeField',
  'expiresInField',
  'refreshTokenField',
] as const;

export function stepLabel(options: unknown): string {
  const name = isRecord(options) ? options.name : undefined;
  return typeof name === 'string' && name ? `Pipeline step '${name}'` : 'Pipeline step';
}

/** Checks a step's options, trusting no type (plain config); never echoes values (passwords). */
export function validateFetcherOptions(options: unknown, check: OptionChecker): void {
  const o = check.record('', options);
  if (!STEP_NAME.test(check.string('name', o.name))) {
    check.fail('name', 'must hold only letters, digits, _ . or -');
  }
  check.httpUrl('baseUrl', o.baseUrl);
  if (typeof o.endpoint !== 'string' || /^[a-z][a-z0-9+.-]*:/i.test(o.endpoint)) {
    check.fail('endpoint', 'must be a path under baseUrl');
  }
  if (o.method !== undefined) {
    check.oneOf(
      'method',
      typeof o.method === 'string' ? o.method.toUpperCase() : o.method,
      METHODS,
    );
  }
  if (o.contentType !== undefined) check.oneOf('contentType', o.contentType, ['form', 'json']);
  for (const field of NAME_FIELDS) check.optionalString(field, o[field]);
  check.optionalPositiveDuration('ttl', o.ttl);
  check.optionalPositiveDuration('timeout', o.timeout);
  check.optionalPositiveInteger('maxTokenResponseBytes', o.maxTokenResponseBytes, 'bytes');
  const dependsOn = check.stringArray('dependsOn', o.dependsOn);

  const headers =
    o.requestHeaders === undefined ? {} : check.record('requestHeaders', o.requestHeaders);
  for (const [header, value] of Object.entries(headers)) {
    check.headerName(`requestHeaders.${header}`, header);
    // Only the literal parts are known now; a {{step}} becomes a token checked when it arrives.
    const literal = typeof value === 'string' ? fillPlaceholders(value, () => 'token') : value;
    check.headerValue(`requestHeaders.${header}`, literal);
  }
  const data = o.requestData === undefined ? {} : check.record('requestData', o.requestData);
  const flat = o.contentType !== 'json';
  for (const [key, value] of Object.entries(data)) {
    if (flat ? !isScalar(value) : !isJsonValue(value, 0)) {
      check.fail(
        `requestData.${key}`,
        flat
          ? "must be a string, number or boolean (use contentType 'json' for nested data)"
          : 'must be JSON data',
      );
    }
  }

  const texts = [
    ...textsIn(o.requestHeaders as RequestDataValue | undefined, 'requestHeaders'),
    ...textsIn(o.requestData as RequestDataValue | undefined, 'requestData'),
  ];
  for (const { path, text } of texts) {
    for (const step of placeholdersIn(text)) {
      if (!dependsOn.includes(step)) {
        check.fail(path, `uses {{${step}}} but '${step}' is not in dependsOn`);
      }
    }
  }
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

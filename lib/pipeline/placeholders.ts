import { RequestDataValue } from './token-fetcher.options';

/** `{{step_name}}`, spaces allowed inside the braces. */
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

/**
 * Every string and number in a request value as the text it is sent as, nested ones included,
 * with where it was found.
 */
export function textsIn(
  value: RequestDataValue | undefined,
  path = '',
): { path: string; text: string }[] {
  if (typeof value === 'string') return [{ path, text: value }];
  if (typeof value === 'number') return [{ path, text: String(value) }];
  if (Array.isArray(value)) {
    return value.flatMap((item: RequestDataValue, i) => textsIn(item, `${path}[${i}]`));
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => textsIn(item, `${path}.${key}`));
  }
  return [];
}

/** The steps whose tokens the placeholders of `text` ask for. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1]);
}

/** `value` with every placeholder, nested ones included, replaced by that step's token. */
export function fillPlaceholders(
  value: RequestDataValue,
  tokenOf: (step: string) => string,
): RequestDataValue {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (_match, step: string) => tokenOf(step));
  }
  if (Array.isArray(value)) {
    return value.map((item: RequestDataValue) => fillPlaceholders(item, tokenOf));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, fillPlaceholders(item, tokenOf)]),
    );
  }
  return value;
}

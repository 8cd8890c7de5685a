import { RequestDataValue } from './token-fetcher.options';

/** `{{step_name}}`, spaces allowed inside the braces. */
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

/** Every placeholder in a request value (nested ones included), with where it was found. */
export function findPlaceholders(
  value: RequestDataValue | undefined,
  path: string,
): { path: string; step: string }[] {
  if (typeof value === 'string') {
    return [...value.matchAll(PLACEHOLDER)].map((match) => ({ path, step: match[1] }));
  }
  if (Array.isArray(value)) {
    return value.flatMap((item: RequestDataValue, i) => findPlaceholders(item, `${path}[${i}]`));
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => findPlaceholders(item, `${path}.${key}`));
  }
  return [];
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

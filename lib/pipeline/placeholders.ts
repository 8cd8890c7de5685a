import { RequestDataValue } from './token-fetcher.options';

/** `{{step_name}}`, spaces allowed inside the braces. */
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

/** Names of the steps a text refers to with placeholders. */
export function placeholderNames(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1]);
}

/** Every placeholder in a request value (nested ones included), with where it was found. */
export function findPlaceholders(
  value: RequestDataValue | undefined,
  path: string,
): { path: string; step: string }[] {
  if (typeof value === 'string') return placeholderNames(value).map((step) => ({ path, step }));
  if (Array.isArray(value)) {
    return value.flatMap((item: RequestDataValue, i) => findPlaceholders(item, `${path}[${i}]`));
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => findPlaceholders(item, `${path}.${key}`));
  }
  return [];
}

export function fillPlaceholders(text: string, tokenOf: (step: string) => string): string {
  return text.replace(PLACEHOLDER, (_match, step: string) => tokenOf(step));
}

export function fillPlaceholdersDeep(
  value: RequestDataValue,
  tokenOf: (step: string) => string,
): RequestDataValue {
  if (typeof value === 'string') return fillPlaceholders(value, tokenOf);
  if (Array.isArray(value)) {
    return value.map((item: RequestDataValue) => fillPlaceholdersDeep(item, tokenOf));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, fillPlaceholdersDeep(item, tokenOf)]),
    );
  }
  return value;
}

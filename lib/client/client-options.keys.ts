import { ConfigurationException } from '../errors';
import { ForgeClientOptions } from './client-options.interface';

const KNOWN_KEYS: readonly (keyof ForgeClientOptions)[] = [
  'baseUrl',
  'timeout',
  'headers',
  'auth',
  'excludedPaths',
  'excludedPathPatterns',
  'storage',
  'refreshSkew',
  'lock',
  'retry',
  'authRetry',
  'circuitBreaker',
  'deadline',
  'maxContentLength',
  'logging',
  'hooks',
];

/**
 * Plain options come from YAML and env, where a typo (`baseURL`, `excludedPath`) would otherwise
 * be ignored silently: name it at bootstrap, with the option it probably meant.
 */
export function assertKnownClientOptions(clientName: string, options: object): void {
  for (const key of Object.keys(options)) {
    if ((KNOWN_KEYS as readonly string[]).includes(key)) continue;
    const guess = KNOWN_KEYS.find((known) => similar(known, key));
    const hint = guess ? ` (did you mean "${guess}"?)` : '';
    throw new ConfigurationException(`Client "${clientName}": unknown option "${key}"${hint}`, {
      clientName,
      field: key,
    });
  }
}

function similar(known: string, key: string): boolean {
  const a = known.toLowerCase();
  const b = key.toLowerCase();
  return a === b || a.startsWith(b) || b.startsWith(a) || editDistance(a, b) <= 2;
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

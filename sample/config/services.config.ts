import { registerAs } from '@nestjs/config';
import { load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RequestForgeModuleOptions } from '../../lib';

export const SERVICES_CONFIG = 'services';
export const DEFAULT_SERVICES_FILE = join(__dirname, 'services.yaml');

export type Environment = Readonly<Record<string, string | undefined>>;

/** `${NAME}` or `${NAME:-fallback}`. */
const PLACEHOLDER = /\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/g;

/** YAML keys whose values are numbers even when they come from a `${...}` placeholder. */
const NUMERIC_KEYS = new Set(['timeout', 'refreshSkew', 'ttl', 'maxRetries', 'baseDelay', 'delay']);

type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

function resolve(value: Yaml, env: Environment, path: string): Yaml {
  if (Array.isArray(value)) return value.map((item, i) => resolve(item, env, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => {
        const resolved = resolve(item, env, path ? `${path}.${key}` : key);
        const numeric = NUMERIC_KEYS.has(key) && typeof resolved === 'string';
        return [key, numeric ? Number(resolved) : resolved];
      }),
    );
  }
  if (typeof value !== 'string') return value;
  return value.replace(PLACEHOLDER, (_whole, name: string, fallback?: string) => {
    const found = env[name] ?? fallback;
    // Names the variable, never a value: some of them are secrets.
    if (found === undefined) throw new Error(`${path}: environment variable ${name} is not set`);
    return found;
  });
}

/**
 * The RequestForgeModule options from the YAML file (`SERVICES_CONFIG_FILE` overrides the path),
 * with `${...}` placeholders filled from `env`.
 */
export function loadServicesConfig(env: Environment): RequestForgeModuleOptions {
  const file = env.SERVICES_CONFIG_FILE ?? DEFAULT_SERVICES_FILE;
  const raw = load(readFileSync(file, 'utf8')) as Yaml;
  return resolve(raw, env, '') as unknown as RequestForgeModuleOptions;
}

/** For `ConfigModule.forRoot({ load: [...] })`: read with `config.get(SERVICES_CONFIG)`. */
export const servicesConfig = (env: Environment) =>
  registerAs(SERVICES_CONFIG, () => loadServicesConfig(env));

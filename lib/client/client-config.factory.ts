import { Logger, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { OptionChecker } from '../errors/option-checker';
import { appendHooks, ForgeHook, ForgeHooks, NO_HOOKS, NormalizedHooks } from '../hooks/hook.types';
import { TokenManager } from '../tokens/token-manager';
import { ForgeClientOptions, StaticAuthOptions } from './client-options.interface';
import { HttpClientConfig } from './http-client-config';
import { buildConfig, ConfigDraft } from './http-client-config.builder';
import type { ClientCertificate } from '../transport/client-certificate';

/** The keys of each static auth block, so a typo (`tokn`) is named at bootstrap. */
const STATIC_AUTH_KEYS: Record<string, readonly string[]> = {
  bearer: ['type', 'token'],
  'api-key': ['type', 'key', 'headerName'],
  basic: ['type', 'username', 'password'],
};

export const TOKEN_AUTH_TYPES = ['client-credentials', 'password', 'pipeline'];

/**
 * What the module hands to the TokenManager it builds. Accepted with a warning on a static client
 * (shared defaults may carry them), refused next to a TokenManager built elsewhere.
 */
const MANAGER_OPTIONS = ['refreshSkew', 'failureBackoff', 'lock', 'storage'] as const;

/** A client's plain options as an `HttpClientConfig`, through the checks `build()` makes. */
export async function createClientConfig(
  clientName: string,
  options: ForgeClientOptions,
  moduleRef: ModuleRef,
  tokenManager?: TokenManager | null,
): Promise<HttpClientConfig> {
  const check = OptionChecker.forClient(clientName);
  return buildConfig(clientName, {
    ...options,
    hooks: await resolveHooks(check, options.hooks, moduleRef),
    ...authOf(check, options, tokenManager),
  });
}

const logger = new Logger('RequestForgeModule');

/** The hooks in order, each class from Nest's DI: the app's provider, else a new instance. */
async function resolveHooks(
  check: OptionChecker,
  hooks: unknown,
  moduleRef: ModuleRef,
): Promise<NormalizedHooks> {
  if (hooks === undefined) return NO_HOOKS;
  const list: unknown[] = Array.isArray(hooks)
    ? hooks
    : check.fail('hooks', 'must be an array of hook objects or injectable hook classes');
  const resolved: (ForgeHooks | ForgeHook)[] = [];
  for (const [index, hook] of list.entries()) {
    if (typeof hook === 'function') {
      try {
        resolved.push(moduleRef.get(hook as Type<ForgeHook>, { strict: false }));
      } catch {
        resolved.push(await moduleRef.create(hook as Type<ForgeHook>));
      }
    } else if (hook && typeof hook === 'object') {
      resolved.push(hook);
    } else {
      check.fail(`hooks[${index}]`, 'must be a hook object or an injectable class');
    }
  }
  return resolved.reduce(appendHooks, NO_HOOKS);
}

function authOf(
  check: OptionChecker,
  options: ForgeClientOptions,
  tokenManager?: TokenManager | null,
): Pick<ConfigDraft, 'auths' | 'clientCertificate'> {
  const auth = options.auth;
  const unread = MANAGER_OPTIONS.find((field) => options[field] !== undefined);
  if (unread && auth instanceof TokenManager) {
    check.fail(
      unread,
      'does not apply to a TokenManager given as auth: pass it to that TokenManager',
    );
  }
  if (tokenManager) {
    // The certificate of the token endpoint is the API's too: a certificate-bound token
    // (RFC 8705 §3) is accepted only over a connection with that certificate.
    const { clientCertificate } = (auth ?? {}) as { clientCertificate?: ClientCertificate };
    return { auths: [{ type: 'token', tokenManager }], clientCertificate };
  }
  if (options.authRetry !== undefined) {
    check.fail('authRetry', 'applies to token auth only (client-credentials, password, pipeline)');
  }
  if (unread) {
    const inert = MANAGER_OPTIONS.filter((field) => options[field] !== undefined).join(', ');
    logger.warn(
      `${check.owner}: ${inert} ignored (token auth only: client-credentials, password, pipeline)`,
    );
  }
  if (auth === undefined) return { auths: [] };
  const record = check.record('auth', auth);
  const keys = STATIC_AUTH_KEYS[String(record.type)];
  if (keys) {
    check.at('auth').knownKeys(record, keys);
    return { auths: [record as StaticAuthOptions] };
  }
  check.oneOf('auth.type', record.type, [...Object.keys(STATIC_AUTH_KEYS), ...TOKEN_AUTH_TYPES]);
  return { auths: [] };
}

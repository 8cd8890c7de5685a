import { OptionChecker } from '../errors/option-checker';
import { appendHooks, ForgeHook, ForgeHooks, NO_HOOKS } from '../hooks/hook.types';
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

/** Auth types whose credential is a token from a TokenManager (made by the module). */
export const TOKEN_AUTH_TYPES = ['client-credentials', 'password', 'pipeline'];

/**
 * Turns a client's plain options (checked by the module) into an `HttpClientConfig`, through the
 * same checks as `HttpClientConfigBuilder.build()`.
 * @param hooks `options.hooks` with classes replaced by their instances from DI
 * @param tokenManager the token manager of a token client
 */
export function createClientConfig(
  clientName: string,
  options: ForgeClientOptions,
  hooks: readonly (ForgeHooks | ForgeHook)[],
  tokenManager: TokenManager | undefined,
): HttpClientConfig {
  return buildConfig(clientName, {
    ...options,
    hooks: hooks.reduce(appendHooks, NO_HOOKS),
    ...authOf(OptionChecker.forClient(clientName), options, tokenManager),
  });
}

function authOf(
  check: OptionChecker,
  options: ForgeClientOptions,
  tokenManager: TokenManager | undefined,
): Pick<ConfigDraft, 'auths' | 'clientCertificate'> {
  const auth = options.auth;
  if (tokenManager) {
    // The certificate of the token endpoint is the API's too: a certificate-bound token
    // (RFC 8705 §3) is accepted only over a connection with that certificate.
    const certificate = (auth as Record<string, unknown> | undefined)?.clientCertificate;
    return {
      auths: [{ type: 'token', tokenManager }],
      clientCertificate: certificate as ClientCertificate,
    };
  }
  if (options.authRetry !== undefined) {
    check.fail('authRetry', 'applies to token auth only (client-credentials, password, pipeline)');
  }
  if (auth === undefined || auth === null) return { auths: [] };
  const record = check.record('auth', auth);
  const keys = STATIC_AUTH_KEYS[String(record.type)];
  if (keys) {
    check.at('auth').knownKeys(record, keys);
    return { auths: [record as StaticAuthOptions] };
  }
  check.oneOf('auth.type', record.type, [...Object.keys(STATIC_AUTH_KEYS), ...TOKEN_AUTH_TYPES]);
  return { auths: [] };
}

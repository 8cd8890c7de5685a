import { OptionChecker } from '../errors/option-checker';
import { ForgeHook, ForgeHooks } from '../hooks/hook.types';
import { TokenManager } from '../tokens/token-manager';
import { ForgeClientOptions } from './client-options.interface';
import { HttpClientConfig } from './http-client-config';
import { HttpClientConfigBuilder } from './http-client-config.builder';
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
 * Turns a client's plain options (checked by the module) into an `HttpClientConfig`.
 * @param hooks `options.hooks` with classes replaced by their instances from DI
 * @param tokenManager the token manager of a token client
 */
export function createClientConfig(
  clientName: string,
  options: ForgeClientOptions,
  hooks: readonly (ForgeHooks | ForgeHook)[],
  tokenManager: TokenManager | undefined,
): HttpClientConfig {
  const check = OptionChecker.forClient(clientName);
  const builder = new HttpClientConfigBuilder(clientName).withBaseUrl(options.baseUrl);
  if (options.timeout !== undefined) builder.withTimeout(options.timeout);
  if (options.headers !== undefined) builder.withHeaders(options.headers);
  builder
    .withExcludedPaths(check.stringArray('excludedPaths', options.excludedPaths))
    .withExcludedPathPatterns(
      check.stringArray('excludedPathPatterns', options.excludedPathPatterns),
    );
  applyAuth(builder, check, options, tokenManager);
  for (const hook of hooks) builder.withHooks(hook);
  if (options.retry !== undefined) builder.withRetryStrategy(options.retry);
  if (options.circuitBreaker !== undefined) builder.withCircuitBreaker(options.circuitBreaker);
  if (options.deadline !== undefined) builder.withDeadline(options.deadline);
  if (options.maxContentLength !== undefined) {
    builder.withMaxContentLength(options.maxContentLength);
  }
  if (options.transport !== undefined) builder.withTransport(options.transport);
  if (options.logging !== undefined) builder.withLogging(check.record('logging', options.logging));
  return builder.build();
}

function applyAuth(
  builder: HttpClientConfigBuilder,
  check: OptionChecker,
  options: ForgeClientOptions,
  tokenManager: TokenManager | undefined,
): void {
  const auth = options.auth;
  if (tokenManager) {
    builder.withTokenAuth(tokenManager, {
      ...(options.authRetry !== undefined ? { authRetryStrategy: options.authRetry } : {}),
    });
    // The certificate of the token endpoint is the API's too: a certificate-bound token
    // (RFC 8705 §3) is accepted only over a connection with that certificate.
    const certificate = (auth as Record<string, unknown> | undefined)?.clientCertificate;
    if (certificate !== undefined) builder.withClientCertificate(certificate as ClientCertificate);
    return;
  }
  if (options.authRetry !== undefined) {
    check.fail('authRetry', 'applies to token auth only (client-credentials, password, pipeline)');
  }
  if (auth === undefined || auth === null) return;
  const record = check.record('auth', auth);
  const keys = STATIC_AUTH_KEYS[String(record.type)];
  if (keys) check.at('auth').knownKeys(record, keys);
  switch (record.type) {
    case 'bearer':
      builder.withBearerToken(record.token as string);
      return;
    case 'api-key':
      builder.withApiKey(record.key as string, (record.headerName as string) ?? 'X-API-Key');
      return;
    case 'basic':
      builder.withBasicAuth(record.username as string, record.password as string);
      return;
  }
  check.oneOf('auth.type', record.type, [...Object.keys(STATIC_AUTH_KEYS), ...TOKEN_AUTH_TYPES]);
}

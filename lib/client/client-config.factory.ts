import { RequestAuth } from '../auth/request-auth.interface';
import { ForgeHook, ForgeHooks } from '../hooks/hook.types';
import { ConfigProblem } from './config-validation';
import { ForgeClientOptions } from './client-options.interface';
import { HttpClientConfig } from './http-client-config';
import { HttpClientConfigBuilder } from './http-client-config.builder';

const STATIC_AUTH_TYPES = ['bearer', 'api-key', 'basic'];

/** Auth types whose credential is a token from a TokenManager (made by the module). */
export const TOKEN_AUTH_TYPES = ['client-credentials', 'password', 'pipeline'];

/** What the module resolved from DI for one client. */
export interface ResolvedClientParts {
  /** The dynamic auth for token auth types. */
  tokenAuth?: RequestAuth;
  /** `options.hooks` with classes replaced by their instances. */
  hooks?: (ForgeHooks | ForgeHook)[];
}

/** Turns plain per-client options into an `HttpClientConfig`. */
export function createClientConfig(
  clientName: string,
  options: ForgeClientOptions | HttpClientConfig,
  resolved: ResolvedClientParts = {},
): HttpClientConfig {
  if (options instanceof HttpClientConfig) return options;
  const problem = new ConfigProblem(clientName);
  if (!options || typeof options !== 'object') problem.fail('options', 'must be an object');
  const builder = new HttpClientConfigBuilder(clientName).withBaseUrl(options.baseUrl);
  if (options.timeout !== undefined) builder.withTimeout(options.timeout);
  if (options.headers !== undefined) {
    builder.withHeaders(problem.headerRecord('headers', options.headers));
  }
  builder
    .withExcludedPaths(problem.stringArray('excludedPaths', options.excludedPaths))
    .withExcludedPathPatterns(
      problem.stringArray('excludedPathPatterns', options.excludedPathPatterns),
    );
  applyAuth(builder, problem, options.auth, resolved.tokenAuth);
  for (const hooks of resolved.hooks ?? []) builder.withHooks(hooks);
  if (options.retry !== undefined) builder.withRetryStrategy(options.retry);
  if (options.authRetry !== undefined) builder.withAuthRetryStrategy(options.authRetry);
  if (options.circuitBreaker !== undefined) builder.withCircuitBreaker(options.circuitBreaker);
  if (options.deadline !== undefined) builder.withDeadline(options.deadline);
  if (options.maxContentLength !== undefined) {
    builder.withMaxContentLength(options.maxContentLength);
  }
  if (options.logging !== undefined) {
    if (typeof options.logging !== 'object' || options.logging === null) {
      problem.fail('logging', 'must be an object ({ logHeaders?, logBody?, sensitiveKeys? })');
    }
    builder.withLogging(options.logging);
  }
  return builder.build();
}

function applyAuth(
  builder: HttpClientConfigBuilder,
  problem: ConfigProblem,
  auth: unknown,
  tokenAuth: RequestAuth | undefined,
): void {
  if (auth === undefined || auth === null) return;
  if (typeof auth !== 'object') problem.fail('auth', 'must be an object with a "type"');
  const record = auth as Record<string, unknown>;
  const type = record.type;
  switch (type) {
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
  if (typeof type === 'string' && TOKEN_AUTH_TYPES.includes(type) && tokenAuth) {
    builder.withAuth(tokenAuth, `auth.type "${type}"`);
    return;
  }
  const known = [...STATIC_AUTH_TYPES, ...TOKEN_AUTH_TYPES].join(', ');
  problem.fail('auth.type', `must be one of ${known}; got ${JSON.stringify(type)}`);
}

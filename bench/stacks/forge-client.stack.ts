import { HttpService } from '@nestjs/axios';
import axios from 'axios';
import { firstValueFrom } from 'rxjs';
import {
  ClientCredentialsTokenProvider,
  ForgeClient,
  HttpClientConfigBuilder,
  InMemoryTokenStorage,
  TokenLock,
  TokenManager,
  TokenStorage,
} from '../../lib';
import { BENCH_CLIENT, keepAliveAgent, Stack, STATIC_AUTHORIZATION } from './stack';

export interface ForgeClientStackOptions {
  origin: string;
  tokenUrl: string;
  /** Default: a fresh in-memory storage (a cold cache). */
  storage?: TokenStorage;
  lock?: TokenLock;
  /** Default `'axios'` (sent through an HttpService on the shared keep-alive agent settings). */
  transport?: 'axios' | 'undici';
  /** `'token'` (default): client-credentials tokens; `'static'`: a fixed bearer token. */
  auth?: 'token' | 'static';
}

export interface ForgeClientStack extends Stack {
  readonly tokenManager: TokenManager;
}

/**
 * (2) `ForgeClient` with client-credentials token auth from a `TokenManager`, transient retries
 * (`withRetry`) and a circuit breaker (`withCircuitBreaker`), all at their defaults.
 */
export function createForgeClientStack(options: ForgeClientStackOptions): ForgeClientStack {
  const provider = new ClientCredentialsTokenProvider({
    tokenUrl: options.tokenUrl,
    serviceName: 'bench-api',
    ...BENCH_CLIENT,
  });
  const tokenManager = new TokenManager(provider, options.storage ?? new InMemoryTokenStorage(), {
    lock: options.lock,
  });
  const transport = options.transport ?? 'axios';
  const auth = options.auth ?? 'token';
  const builder = new HttpClientConfigBuilder('bench')
    .withBaseUrl(options.origin)
    .withTransport(transport)
    .withRetry()
    .withCircuitBreaker();
  if (auth === 'token') builder.withTokenAuth(tokenManager);
  else builder.withBearerToken(STATIC_AUTHORIZATION.replace(/^Bearer /, ''));
  const agent = transport === 'axios' ? keepAliveAgent() : undefined;
  // undici: the client's own Agent (keep-alive by default), closed by `client.close()`.
  const http = agent && new HttpService(axios.create({ httpAgent: agent }));
  const client = new ForgeClient(builder.build(), http, 'bench');
  return {
    label: `ForgeClient ${transport}, ${auth === 'token' ? 'token' : 'static bearer'} + retry + breaker`,
    tokenManager,
    get: async (path) => (await firstValueFrom(client.get(path))).data,
    close: async () => {
      agent?.destroy();
      await client.close();
    },
  };
}

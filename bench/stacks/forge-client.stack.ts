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
import { BENCH_CLIENT, keepAliveAgent, Stack } from './stack';

export interface ForgeClientStackOptions {
  origin: string;
  tokenUrl: string;
  /** Default: a fresh in-memory storage (a cold cache). */
  storage?: TokenStorage;
  lock?: TokenLock;
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
  const config = new HttpClientConfigBuilder('bench')
    .withBaseUrl(options.origin)
    .withTokenAuth(tokenManager)
    .withRetry()
    .withCircuitBreaker()
    .build();
  const agent = keepAliveAgent();
  const client = new ForgeClient(
    config,
    new HttpService(axios.create({ httpAgent: agent })),
    'bench',
  );
  return {
    label: 'ForgeClient, token + retry + breaker',
    tokenManager,
    get: async (path) => (await firstValueFrom(client.get(path))).data,
    close: async () => agent.destroy(),
  };
}

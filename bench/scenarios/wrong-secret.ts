import { HttpService } from '@nestjs/axios';
import axios from 'axios';
import { firstValueFrom } from 'rxjs';
import {
  ClientCredentialsTokenProvider,
  ForgeClient,
  HttpClientConfigBuilder,
  TokenManager,
} from '../../lib';
import { BenchSizes } from '../bench-options';
import { BenchServer } from '../servers/bench-server';
import { BENCH_CLIENT, keepAliveAgent } from '../stacks/stack';

export interface WrongSecretCount {
  tokenRequests: number;
  calls: number;
  /** Calls that got a response: there must be none (fail closed). */
  sentWithoutToken: number;
}

/** IdP requests while the token endpoint answers `400 invalid_client` (a rotated secret). */
export interface WrongSecretResult {
  callers: number;
  seconds: number;
  /** `failureBackoff: { initial: 0 }`: a new token request for every call (before issue 13). */
  withoutBackoff: WrongSecretCount;
  /** The default `failureBackoff: { initial: 1_000, max: 30_000 }`. */
  withBackoff: WrongSecretCount;
}

export async function measureWrongSecret(
  server: BenchServer,
  sizes: BenchSizes,
): Promise<WrongSecretResult> {
  const callers = sizes.wrongSecretCallers;
  const seconds = sizes.wrongSecretSeconds;
  await server.setRefuseClients(true);
  try {
    return {
      callers,
      seconds,
      withoutBackoff: await loop(server, callers, seconds, { initial: 0, max: 0 }),
      withBackoff: await loop(server, callers, seconds, { initial: 1_000, max: 30_000 }),
    };
  } finally {
    await server.setRefuseClients(false);
  }
}

/** `callers` loops of `client.get` for `seconds`, each call awaited before the next one. */
async function loop(
  server: BenchServer,
  callers: number,
  seconds: number,
  failureBackoff: { initial: number; max: number },
): Promise<WrongSecretCount> {
  const provider = new ClientCredentialsTokenProvider({
    tokenUrl: server.tokenUrl,
    serviceName: 'bench-api',
    ...BENCH_CLIENT,
  });
  const tokenManager = new TokenManager(provider, undefined, { failureBackoff });
  const config = new HttpClientConfigBuilder('bench')
    .withBaseUrl(server.origin)
    .withTokenAuth(tokenManager)
    .build();
  const agent = keepAliveAgent();
  const client = new ForgeClient(config, new HttpService(axios.create({ httpAgent: agent })));
  await server.resetCounters();
  const count = { calls: 0, sentWithoutToken: 0 };
  const until = Date.now() + seconds * 1_000;
  const caller = async () => {
    while (Date.now() < until) {
      count.calls += 1;
      await firstValueFrom(client.get('/secure')).then(
        () => (count.sentWithoutToken += 1),
        () => undefined,
      );
      // Refusals during the backoff come back at once: let the timers and sockets run.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  try {
    await Promise.all(Array.from({ length: callers }, caller));
    const { tokenRequests } = await server.stats();
    return { tokenRequests, ...count };
  } finally {
    agent.destroy();
  }
}

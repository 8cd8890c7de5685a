import { HttpService } from '@nestjs/axios';
import axios from 'axios';
import { firstValueFrom } from 'rxjs';
import { keepAliveAgent, Stack, STATIC_AUTHORIZATION } from './stack';

/** (1) The baseline: Nest's `HttpService` with a static `Authorization` header. */
export function createHttpServiceStack(origin: string): Stack {
  const agent = keepAliveAgent();
  const http = new HttpService(axios.create({ httpAgent: agent }));
  const headers = { Authorization: STATIC_AUTHORIZATION };
  return {
    label: 'HttpService, static header',
    get: async (path) => (await firstValueFrom(http.get(`${origin}${path}`, { headers }))).data,
    close: async () => agent.destroy(),
  };
}

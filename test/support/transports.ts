import { HttpService } from '@nestjs/axios';
import { ForgeClient, HttpClientConfig, HttpClientConfigBuilder } from '../../lib';

/** Every client behaviour spec runs once per transport. */
export const TRANSPORTS = ['axios', 'undici'] as const;
export type Transport = (typeof TRANSPORTS)[number];

const open: ForgeClient[] = [];

/**
 * The helpers of one transport: a builder already on it, and clients that `closeClients()`
 * (in `afterEach`) closes, so no undici socket outlives its test.
 */
export function onTransport(transport: Transport) {
  return {
    builder: (clientName?: string) =>
      new HttpClientConfigBuilder(clientName).withTransport(transport),
    forge: (config: HttpClientConfig, http?: HttpService, name?: string): ForgeClient => {
      const client = new ForgeClient(config, http, name);
      open.push(client);
      return client;
    },
  };
}

export async function closeClients(): Promise<void> {
  await Promise.all(open.splice(0).map((client) => client.close()));
}

import 'reflect-metadata';
import { Injectable, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { lastValueFrom } from 'rxjs';
import { ForgeClient, InjectForgeClient, RequestForgeModule } from '../lib';

/** A tiny protected API on 127.0.0.1 that accepts one API key. */
async function startDemoApi(apiKey: string): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    const ok = req.headers['x-api-key'] === apiKey;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ok ? { path: req.url, stock: 42 } : { error: 'unauthorized' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

@Injectable()
class StockService {
  constructor(@InjectForgeClient('service-b') private readonly serviceB: ForgeClient) {}

  async stock(): Promise<unknown> {
    return (await lastValueFrom(this.serviceB.get('/stock'))).data;
  }
}

async function main(): Promise<void> {
  const apiKey = process.env.SERVICE_B_API_KEY ?? 'sample-api-key';
  const api = process.env.SERVICE_B_URL ? undefined : await startDemoApi(apiKey);
  const baseUrl = process.env.SERVICE_B_URL ?? api!.url;

  @Module({
    imports: [
      RequestForgeModule.forRoot({
        clients: { 'service-b': { baseUrl, auth: { type: 'api-key', key: apiKey } } },
      }),
    ],
    providers: [StockService],
  })
  class AppModule {}

  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  const logger = new Logger('sample');
  logger.log(`service-b answered: ${JSON.stringify(await app.get(StockService).stock())}`);
  console.log('service-b: 1 request, answered 200');
  await app.close();
  api?.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

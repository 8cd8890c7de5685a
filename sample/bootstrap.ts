import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { AppModule } from './app.module';
import { Environment } from './config/services.config';
import { SampleControl } from './demo/sample-control';
import { SampleReport } from './demo/sample-report';
import { ServicesDemo } from './demo/services-demo';
import { startEmbeddedServices } from './embedded/embedded-services';
import { SampleServerStats } from './embedded/sample-api';

/**
 * Runs the demo once: against the services the environment names, or, without SERVICE_A_URL,
 * against embedded servers started (and stopped) here.
 */
export async function runSample(env: Environment = process.env): Promise<SampleReport> {
  const embedded = env.SERVICE_A_URL ? undefined : await startEmbeddedServices();
  try {
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot({ env: { ...env, ...embedded?.env } }),
      { logger: ['error', 'warn'] },
    );
    try {
      const services = await app.get(ServicesDemo).run();
      return { storage: env.REDIS_URL ? 'redis' : 'memory', services };
    } finally {
      await app.close();
    }
  } finally {
    await embedded?.close();
  }
}

/**
 * Starts the embedded servers for other sample processes: writes their environment to `envFile`
 * (it holds the demo credentials: mode 0600, never printed) and serves until SIGINT/SIGTERM, then
 * resolves to what the servers counted.
 */
export async function serveEmbedded(
  envFile: string,
  onReady: (urls: string) => void,
): Promise<SampleServerStats> {
  const embedded = await startEmbeddedServices({ tokenTtlSeconds: 300 });
  const lines = Object.entries(embedded.env).map(([key, value]) => `${key}=${value}`);
  writeFileSync(envFile, `${lines.join('\n')}\n`, { mode: 0o600 });
  onReady(embedded.env.SAMPLE_CONTROL_URL);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const stats = await new SampleControl(embedded.env.SAMPLE_CONTROL_URL).stats();
  await embedded.close();
  return stats;
}

import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { createHash } from 'node:crypto';
import { RequestForgeModule, RequestForgeModuleOptions, TokenLock } from '../lib';
import { Environment, SERVICES_CONFIG, servicesConfig } from './config/services.config';
import { SampleControl } from './demo/sample-control';
import { SAMPLE_CONTROL, SAMPLE_SCENARIOS, ServicesDemo } from './demo/services-demo';
import { SAMPLE_TOKEN_LOCK, TokenStoreModule } from './storage/token-store.module';

export const SERVICE_NAMES = ['service-a', 'service-b', 'service-c'];

export interface SampleAppOptions {
  /** Where `${...}` in services.yaml, REDIS_URL and SAMPLE_CONTROL_URL are read. Default: process.env. */
  env?: Environment;
}

/**
 * Processes share tokens only within one Redis namespace: by default one per set of token
 * servers, so a token from an earlier run against other servers is never offered to these.
 */
function cacheNamespace(env: Environment): string {
  if (env.SAMPLE_CACHE_NAMESPACE) return env.SAMPLE_CACHE_NAMESPACE;
  const servers = `${env.SERVICE_A_TOKEN_URL ?? ''} ${env.SERVICE_C_AUTH_URL ?? ''}`;
  return `forge-sample-${createHash('sha256').update(servers).digest('hex').slice(0, 8)}`;
}

function withLock(
  options: RequestForgeModuleOptions,
  lock: TokenLock | null,
): RequestForgeModuleOptions {
  if (!lock) return options;
  const clients = Object.fromEntries(
    Object.entries(options.clients).map(([name, client]) => [name, { ...client, lock }]),
  );
  return { clients } as RequestForgeModuleOptions;
}

/**
 * The sample app: three clients configured from sample/config/services.yaml through
 * @nestjs/config, tokens in memory or (with REDIS_URL) in Redis, and the demo that calls them.
 * Importing it starts nothing; `AppModule.forRoot({ env })` only describes the module.
 */
@Module({})
export class AppModule {
  static forRoot(options: SampleAppOptions = {}): DynamicModule {
    const env = options.env ?? process.env;
    const tokenStore = TokenStoreModule.forRoot({
      redisUrl: env.REDIS_URL,
      namespace: cacheNamespace(env),
    });
    const control = env.SAMPLE_CONTROL_URL ? new SampleControl(env.SAMPLE_CONTROL_URL) : null;
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [servicesConfig(env)] }),
        tokenStore,
        RequestForgeModule.forRootAsync({
          clients: SERVICE_NAMES,
          imports: [tokenStore],
          inject: [ConfigService, SAMPLE_TOKEN_LOCK],
          useFactory: (config: ConfigService, lock: TokenLock | null) =>
            withLock(config.getOrThrow<RequestForgeModuleOptions>(SERVICES_CONFIG), lock),
        }),
      ],
      providers: [
        ServicesDemo,
        { provide: SAMPLE_CONTROL, useValue: control },
        {
          provide: SAMPLE_SCENARIOS,
          useValue: env.SAMPLE_SCENARIOS === 'shared' ? 'shared' : 'all',
        },
      ],
    };
  }
}

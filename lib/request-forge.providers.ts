import { Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { createClientConfig, TOKEN_AUTH_TYPES } from './client/client-config.factory';
import { ForgeClientOptions, RequestForgeModuleOptions } from './client/client-options.interface';
import { ForgeClient } from './client/forge-client';
import { HttpClientConfig } from './client/http-client-config';
import { isRecord, OptionChecker } from './errors/option-checker';
import { createPipelineTokenProvider } from './pipeline/create-pipeline-token-provider';
import { PipelineAuthOptions } from './pipeline/pipeline-auth.options';
import { REQUEST_FORGE_OPTIONS } from './request-forge.module-definition';
import {
  CACHE_MANAGER_TOKEN,
  FORGE_CLIENT_NAMES,
  getForgeClientToken,
  getTokenManagerToken,
  getTokenProviderToken,
  getTokenStorageToken,
} from './request-forge.constants';
import { checkLockOption, RequestForgeLocks } from './request-forge.locks';
import { resolveTokenStorage } from './request-forge.storage';
import type { Cache } from './storage/cache-manager-token-storage';
import { loadRedisClient } from './storage/redis-lock-connection';
import { TokenStorage } from './storage/token-storage.interface';
import { TokenManager } from './tokens/token-manager';
import { TokenProvider } from './tokens/token-provider.interface';
import { createTokenProvider, OAuthAuthOptions } from './tokens/token-provider.factory';
import { loadUndici } from './transport/undici-adapter';

/** Every key of `ForgeClientOptions`: a key not listed is named as a typo at bootstrap. */
const CLIENT_OPTION_KEYS: readonly (keyof ForgeClientOptions)[] = [
  'baseUrl',
  'timeout',
  'headers',
  'auth',
  'excludedPaths',
  'excludedPathPatterns',
  'storage',
  'refreshSkew',
  'failureBackoff',
  'lock',
  'retry',
  'authRetry',
  'circuitBreaker',
  'deadline',
  'maxContentLength',
  'transport',
  'logging',
  'hooks',
];

/** A client's options (a config built in code, or plain options checked once at bootstrap). */
type ResolvedClient = HttpClientConfig | ForgeClientOptions;

function resolveClient(moduleOptions: RequestForgeModuleOptions, name: string): ResolvedClient {
  const clients = new OptionChecker('RequestForgeModule').record('clients', moduleOptions?.clients);
  const check = OptionChecker.forClient(name);
  const options = clients[name];
  if (options === undefined) {
    check.fail(
      '',
      'has no options (declared in forRootAsync({ clients }) but missing from what the options ' +
        'factory returned)',
    );
  }
  if (options instanceof HttpClientConfig) return options;
  const plain = check.record('', options) as unknown as ForgeClientOptions;
  check.knownKeys(plain, CLIENT_OPTION_KEYS);
  // Checked for every client, so a bad value fails at bootstrap even where it is unused.
  checkLockOption(name, plain.lock);
  return plain;
}

/** The auth `type` when it is one the module makes a TokenProvider for. */
function tokenAuthType(options: unknown): string | undefined {
  const type = isRecord(options) && isRecord(options.auth) ? options.auth.type : undefined;
  return TOKEN_AUTH_TYPES.find((tokenType) => tokenType === type);
}

/** True when a client needs token providers (or when its options are not known yet). */
function needsTokenProviders(options: unknown): boolean {
  if (options === undefined) return true;
  return (isRecord(options) && options.auth instanceof TokenManager) || !!tokenAuthType(options);
}

/**
 * One client's providers; the module exports all but the first (the checked options). A client
 * with static credentials gets no token providers with `forRoot`, `null` ones with `forRootAsync`.
 */
export function createClientProviders(
  name: string,
  staticOptions?: unknown,
): [Provider, ...Provider[]] {
  const resolvedToken = `RequestForge:ResolvedClient:${name}`;
  const resolved: Provider = {
    provide: resolvedToken,
    inject: [REQUEST_FORGE_OPTIONS],
    useFactory: (options: RequestForgeModuleOptions) => resolveClient(options, name),
  };
  const client: Provider = {
    provide: getForgeClientToken(name),
    inject: [resolvedToken, ModuleRef, { token: getTokenManagerToken(name), optional: true }],
    useFactory: async (
      client: ResolvedClient,
      moduleRef: ModuleRef,
      tokenManager?: TokenManager | null,
    ): Promise<ForgeClient> => {
      const config =
        client instanceof HttpClientConfig
          ? client
          : await createClientConfig(name, client, moduleRef, tokenManager);
      // An optional peer that is missing fails here, naming the client, not on its first call.
      if (config.transport === 'undici') {
        await loadUndici().catch(() =>
          OptionChecker.forClient(name).fail('transport', MISSING_PEER('undici', 'undici@^7')),
        );
      }
      return new ForgeClient(config, undefined, name);
    },
  };
  if (!needsTokenProviders(staticOptions)) return [resolved, client];
  return [resolved, ...tokenProviders(name, resolvedToken), client];
}

const MISSING_PEER = (peer: string, install: string) =>
  `needs the ${peer} package, which could not be loaded (npm install ${install})`;

function tokenProviders(name: string, resolved: string): Provider[] {
  return [
    {
      provide: getTokenStorageToken(name),
      inject: [resolved, { token: CACHE_MANAGER_TOKEN, optional: true }],
      // A TokenManager given as auth reads its own storage: one built here would be a stranger.
      useFactory: (client: ResolvedClient, cache?: Cache): TokenStorage | null =>
        client instanceof HttpClientConfig || !tokenAuthType(client)
          ? null
          : resolveTokenStorage(name, client, cache),
    },
    {
      provide: getTokenProviderToken(name),
      inject: [resolved, getTokenStorageToken(name), RequestForgeLocks],
      useFactory: (
        client: ResolvedClient,
        storage: TokenStorage | null,
        locks: RequestForgeLocks,
      ): TokenProvider | null => {
        const type = tokenAuthType(client);
        if (!type || !storage) return null;
        const { auth, lock } = client as ForgeClientOptions;
        if (type !== 'pipeline') return createTokenProvider(name, auth as OAuthAuthOptions);
        return createPipelineTokenProvider(name, auth as PipelineAuthOptions, {
          storage,
          lock: locks.forClient(name, lock),
        });
      },
    },
    {
      provide: getTokenManagerToken(name),
      inject: [
        resolved,
        getTokenProviderToken(name),
        getTokenStorageToken(name),
        RequestForgeLocks,
      ],
      useFactory: async (
        client: ResolvedClient,
        provider: TokenProvider | null,
        storage: TokenStorage | null,
        locks: RequestForgeLocks,
      ): Promise<TokenManager | null> => {
        if (client.auth instanceof TokenManager) return client.auth;
        if (!provider || !storage) return null;
        const { refreshSkew, failureBackoff, lock } = client as ForgeClientOptions;
        if (isRecord(lock) && lock.type === 'redis') {
          await loadRedisClient().catch(() =>
            OptionChecker.forClient(name).fail(
              'lock',
              MISSING_PEER('@keyv/redis', '@keyv/redis@^5'),
            ),
          );
        }
        const options = { refreshSkew, failureBackoff, lock: locks.forClient(name, lock) };
        return OptionChecker.forClient(name).relabel(
          () => new TokenManager(provider, storage, options),
        );
      },
    },
  ];
}

export function createNamesProvider(names: readonly string[]): Provider {
  return {
    provide: FORGE_CLIENT_NAMES,
    inject: [REQUEST_FORGE_OPTIONS],
    useFactory: (options: RequestForgeModuleOptions): readonly string[] => {
      const undeclared = Object.keys(options?.clients ?? {}).filter((n) => !names.includes(n));
      if (undeclared.length > 0) {
        OptionChecker.forClient(undeclared[0]).fail(
          '',
          'is returned by the options factory but not declared in forRootAsync({ clients: [...] })',
        );
      }
      return names;
    },
  };
}

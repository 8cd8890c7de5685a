import { Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { TokenAuth } from './auth/token-auth';
import { createClientConfig, TOKEN_AUTH_TYPES } from './client/client-config.factory';
import { ConfigProblem } from './client/config-validation';
import { ForgeClientOptions, RequestForgeModuleOptions } from './client/client-options.interface';
import { assertKnownClientOptions } from './client/client-options.keys';
import { ForgeClient } from './client/forge-client';
import { HttpClientConfig } from './client/http-client-config';
import { ConfigurationException } from './errors';
import { resolveHooks } from './hooks/hook-resolver';
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
import { RequestForgeLocks } from './request-forge.locks';
import { resolveTokenStorage, StoreCache } from './request-forge.storage';
import { TokenStorage } from './storage/token-storage.interface';
import { TokenManager } from './tokens/token-manager';
import { TokenProvider } from './tokens/token-provider.interface';
import { createHttpService } from './transport/http-transport';
import { createTokenProvider, OAuthAuthOptions } from './tokens/token-provider.factory';

/** The options of one client; fails at bootstrap when the factory left it out. */
export function clientOptionsOf(
  options: RequestForgeModuleOptions,
  name: string,
): ForgeClientOptions | HttpClientConfig {
  if (!options || typeof options.clients !== 'object' || options.clients === null) {
    throw new ConfigurationException(
      'RequestForgeModule options must have a "clients" object of client names to options',
      { field: 'clients' },
    );
  }
  const clientOptions = options.clients[name];
  if (clientOptions === undefined) {
    throw new ConfigurationException(
      `Client "${name}": no options given (declared in forRootAsync({ clients }) but missing ` +
        'from what the options factory returned)',
      { clientName: name, field: `clients.${name}` },
    );
  }
  if (!(clientOptions instanceof HttpClientConfig)) {
    if (!clientOptions || typeof clientOptions !== 'object') {
      throw new ConfigurationException(`Client "${name}": options must be an object`, {
        clientName: name,
        field: `clients.${name}`,
      });
    }
    assertKnownClientOptions(name, clientOptions);
  }
  return clientOptions;
}

function plainOptionsOf(
  options: RequestForgeModuleOptions,
  name: string,
): ForgeClientOptions | undefined {
  const clientOptions = clientOptionsOf(options, name);
  return clientOptions instanceof HttpClientConfig ? undefined : clientOptions;
}

/** The auth `type` when it is one the module makes a TokenProvider for. */
function tokenAuthType(options: ForgeClientOptions | undefined): string | undefined {
  const auth = options?.auth as { type?: unknown } | undefined;
  if (!auth || auth instanceof TokenManager || typeof auth.type !== 'string') return undefined;
  return TOKEN_AUTH_TYPES.includes(auth.type) ? auth.type : undefined;
}

/** TokenManager checks it too, but its message cannot name the client. */
function checkRefreshSkew(name: string, refreshSkew: unknown): void {
  if (refreshSkew === undefined) return;
  if (typeof refreshSkew !== 'number' || !(refreshSkew >= 0)) {
    new ConfigProblem(name).fail('refreshSkew', 'must be a number >= 0 (milliseconds)');
  }
}

export function createClientProviders(name: string): Provider[] {
  return [
    {
      provide: getTokenStorageToken(name),
      inject: [REQUEST_FORGE_OPTIONS, { token: CACHE_MANAGER_TOKEN, optional: true }],
      useFactory: (options: RequestForgeModuleOptions, cache?: StoreCache): TokenStorage =>
        resolveTokenStorage(name, plainOptionsOf(options, name), cache),
    },
    {
      provide: getTokenProviderToken(name),
      inject: [REQUEST_FORGE_OPTIONS, getTokenStorageToken(name), RequestForgeLocks],
      useFactory: (
        options: RequestForgeModuleOptions,
        storage: TokenStorage,
        locks: RequestForgeLocks,
      ): TokenProvider | null => {
        const clientOptions = plainOptionsOf(options, name);
        // Checked for every client, so a bad value fails at bootstrap even where it is unused.
        const lock = locks.forClient(name, clientOptions?.lock);
        const type = tokenAuthType(clientOptions);
        if (!clientOptions || !type) return null;
        if (type === 'pipeline') {
          return createPipelineTokenProvider(name, clientOptions.auth as PipelineAuthOptions, {
            storage,
            ...(lock ? { lock } : {}),
          });
        }
        return createTokenProvider(name, clientOptions.auth as OAuthAuthOptions);
      },
    },
    {
      provide: getTokenManagerToken(name),
      inject: [
        REQUEST_FORGE_OPTIONS,
        getTokenProviderToken(name),
        getTokenStorageToken(name),
        RequestForgeLocks,
      ],
      useFactory: (
        options: RequestForgeModuleOptions,
        provider: TokenProvider | null,
        storage: TokenStorage,
        locks: RequestForgeLocks,
      ): TokenManager | null => {
        const clientOptions = plainOptionsOf(options, name);
        if (clientOptions?.auth instanceof TokenManager) return clientOptions.auth;
        if (!provider) return null;
        checkRefreshSkew(name, clientOptions?.refreshSkew);
        const lock = locks.forClient(name, clientOptions?.lock);
        return new TokenManager(provider, storage, {
          ...(clientOptions?.refreshSkew !== undefined
            ? { refreshSkew: clientOptions.refreshSkew }
            : {}),
          ...(lock ? { lock } : {}),
        });
      },
    },
    {
      provide: getForgeClientToken(name),
      inject: [REQUEST_FORGE_OPTIONS, ModuleRef, getTokenManagerToken(name)],
      useFactory: async (
        options: RequestForgeModuleOptions,
        moduleRef: ModuleRef,
        tokenManager: TokenManager | null,
      ): Promise<ForgeClient> => {
        const clientOptions = clientOptionsOf(options, name);
        // An axios instance of its own: interceptors on the global axios never see its credential.
        const http = createHttpService();
        if (clientOptions instanceof HttpClientConfig) {
          return new ForgeClient(clientOptions, http, name);
        }
        const hooks = await resolveHooks(name, clientOptions.hooks, moduleRef);
        const tokenAuth = tokenManager ? new TokenAuth(tokenManager) : undefined;
        const config = createClientConfig(name, clientOptions, { hooks, tokenAuth });
        return new ForgeClient(config, http, name);
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
        throw new ConfigurationException(
          `Client "${undeclared[0]}": returned by the options factory but not declared in ` +
            'forRootAsync({ clients: [...] })',
          { clientName: undeclared[0], field: 'clients' },
        );
      }
      return names;
    },
  };
}

export function clientProviderTokens(name: string): string[] {
  return [
    getForgeClientToken(name),
    getTokenManagerToken(name),
    getTokenProviderToken(name),
    getTokenStorageToken(name),
  ];
}

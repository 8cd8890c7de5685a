import { HttpService } from '@nestjs/axios';
import { Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { resolveHooks } from './hooks/hook-resolver';
import { createClientConfig } from './client/client-config.factory';
import { ForgeClientOptions, RequestForgeModuleOptions } from './client/client-options.interface';
import { ForgeClient } from './client/forge-client';
import { HttpClientConfig } from './client/http-client-config';
import { ConfigurationException } from './errors';
import { REQUEST_FORGE_OPTIONS } from './request-forge.module-definition';
import {
  FORGE_CLIENT_NAMES,
  getForgeClientToken,
  getTokenManagerToken,
  getTokenProviderToken,
  getTokenStorageToken,
} from './request-forge.constants';
import { InMemoryTokenStorage } from './storage/in-memory-token-storage';
import { TokenStorage } from './storage/token-storage.interface';

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
  return clientOptions;
}

function isTokenStorage(value: unknown): value is TokenStorage {
  const v = value as Partial<TokenStorage> | undefined;
  return !!v && typeof v.get === 'function' && typeof v.set === 'function';
}

export function createClientProviders(name: string): Provider[] {
  return [
    {
      provide: getTokenStorageToken(name),
      inject: [REQUEST_FORGE_OPTIONS],
      useFactory: (options: RequestForgeModuleOptions): TokenStorage => {
        const clientOptions = clientOptionsOf(options, name);
        const storage =
          clientOptions instanceof HttpClientConfig ? undefined : clientOptions.storage;
        return isTokenStorage(storage) ? storage : new InMemoryTokenStorage();
      },
    },
    {
      provide: getTokenProviderToken(name),
      useValue: null,
    },
    {
      provide: getTokenManagerToken(name),
      useValue: null,
    },
    {
      provide: getForgeClientToken(name),
      inject: [REQUEST_FORGE_OPTIONS, HttpService, ModuleRef],
      useFactory: async (
        options: RequestForgeModuleOptions,
        http: HttpService,
        moduleRef: ModuleRef,
      ): Promise<ForgeClient> => {
        const clientOptions = clientOptionsOf(options, name);
        if (clientOptions instanceof HttpClientConfig)
          return new ForgeClient(clientOptions, http, name);
        const hooks = await resolveHooks(name, clientOptions.hooks, moduleRef);
        return new ForgeClient(createClientConfig(name, clientOptions, { hooks }), http, name);
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

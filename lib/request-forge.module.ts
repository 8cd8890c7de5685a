import { DynamicModule, Module } from '@nestjs/common';
import { OptionChecker } from './errors/option-checker';
import { ForgeClientRegistry } from './forge-client.registry';
import { RequestForgeLocks } from './request-forge.locks';
import {
  REQUEST_FORGE_ASYNC_OPTIONS_TYPE,
  REQUEST_FORGE_OPTIONS_TYPE,
  RequestForgeConfigurableModule,
} from './request-forge.module-definition';
import { createClientProviders, createNamesProvider } from './request-forge.providers';

export type RequestForgeAsyncOptions = typeof REQUEST_FORGE_ASYNC_OPTIONS_TYPE & {
  /** The client names; Nest must know every provider token when the module is defined. */
  clients: string[];
};

/**
 * Named, pre-configured HTTP clients. `forRoot({ clients: { name: options } })` or
 * `forRootAsync({ clients: ['name'], useFactory, inject })`.
 */
// Composes the generated module class rather than extending it: forRootAsync needs a required
// `clients` list that the generated signature does not have.
@Module({})
export class RequestForgeModule {
  static forRoot(options: typeof REQUEST_FORGE_OPTIONS_TYPE): DynamicModule {
    new OptionChecker('RequestForgeModule.forRoot').record('clients', options?.clients);
    return withClients(
      RequestForgeConfigurableModule.forRoot(options),
      Object.keys(options.clients),
      options.clients,
    );
  }

  static forRootAsync(options: RequestForgeAsyncOptions): DynamicModule {
    const { clients, ...asyncOptions } = options ?? ({} as RequestForgeAsyncOptions);
    if (!Array.isArray(clients) || clients.length === 0) {
      new OptionChecker('RequestForgeModule.forRootAsync').fail(
        'clients',
        "must list the client names, e.g. clients: ['service-a']",
      );
    }
    return withClients(RequestForgeConfigurableModule.forRootAsync(asyncOptions), clients);
  }
}

/** @param clients the options when known now (`forRoot`), to register only what each needs */
function withClients(
  definition: DynamicModule,
  names: readonly string[],
  clients?: Record<string, unknown>,
): DynamicModule {
  for (const [index, name] of names.entries()) {
    if (typeof name !== 'string' || name.trim() === '') {
      new OptionChecker('RequestForgeModule').fail('clients', 'must be non-empty client names');
    }
    if (names.indexOf(name) !== index) OptionChecker.forClient(name).fail('', 'is declared twice');
  }
  const perClient = names.map((name) => createClientProviders(name, clients?.[name]));
  return {
    ...definition,
    module: RequestForgeModule,
    providers: [
      ...(definition.providers ?? []),
      ...perClient.flat(),
      createNamesProvider(names),
      ForgeClientRegistry,
      RequestForgeLocks,
    ],
    exports: [
      ...(definition.exports ?? []),
      ...perClient.flatMap(([, ...exported]) => exported),
      ForgeClientRegistry,
    ],
  };
}

import { ConfigurableModuleBuilder } from '@nestjs/common';
import { RequestForgeModuleOptions } from './client/client-options.interface';

export const {
  ConfigurableModuleClass: RequestForgeConfigurableModule,
  MODULE_OPTIONS_TOKEN: REQUEST_FORGE_OPTIONS,
  OPTIONS_TYPE: REQUEST_FORGE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: REQUEST_FORGE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<RequestForgeModuleOptions>({ moduleName: 'RequestForge' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createRequestForgeOptions')
  .setExtras({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();

/** A class for `forRootAsync({ useClass })` / `useExisting`. */
export interface RequestForgeOptionsFactory {
  createRequestForgeOptions(): RequestForgeModuleOptions | Promise<RequestForgeModuleOptions>;
}

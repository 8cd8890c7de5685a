import { Type } from '@nestjs/common';
import { ForgeHook, ForgeHooks } from '../hooks/hook.types';
import { LoggingOptions } from '../hooks/request-logger';
import { TokenStorage } from '../storage/token-storage.interface';
import { HttpClientConfig } from './http-client-config';

export interface BearerAuthOptions {
  type: 'bearer';
  token: string;
}

export interface ApiKeyAuthOptions {
  type: 'api-key';
  key: string;
  /** Default `X-API-Key`. */
  headerName?: string;
}

export interface BasicAuthOptions {
  type: 'basic';
  username: string;
  password: string;
}

export type StaticAuthOptions = BearerAuthOptions | ApiKeyAuthOptions | BasicAuthOptions;

export type ForgeAuthOptions = StaticAuthOptions;

/**
 * Per-client options in plain, serializable form (from `@nestjs/config`, YAML, env).
 * Durations are milliseconds.
 */
export interface ForgeClientOptions {
  baseUrl: string;
  timeout?: number;
  headers?: Record<string, string>;
  auth?: ForgeAuthOptions;
  /** Paths (exact) that get no credential. */
  excludedPaths?: string[];
  /** Globs (`/public/*`, `*\/health`, `/docs/**`) that get no credential. */
  excludedPathPatterns?: string[];
  /** Token storage: `'cache'` = the app's CACHE_MANAGER, `'memory'` = per process. */
  storage?: 'memory' | 'cache' | TokenStorage;
  /** Request logging through Nest's Logger, always redacted. Absent: no logging. */
  logging?: LoggingOptions;
  /**
   * Hooks in registration order: hook objects (`{ beforeRequest: [fn] }`), hook instances, or
   * injectable classes implementing `ForgeHook`, resolved from Nest's DI.
   */
  hooks?: ForgeClientHookOption[];
}

export type ForgeClientHookOption = ForgeHooks | ForgeHook | Type<ForgeHook>;

/** What `forRoot` takes and what `forRootAsync`'s factory returns. */
export interface RequestForgeModuleOptions {
  clients: Record<string, ForgeClientOptions | HttpClientConfig>;
}

import { Logger } from '@nestjs/common';
import { AxiosRequestConfig } from 'axios';
import { Redactor } from '../errors/redaction';
import { HOOK_KINDS, HookContext, NormalizedHooks } from './hook.types';

/** Runs hooks in order: a throwing `beforeRequest` aborts the call, the others are only logged. */
export class HookRunner {
  constructor(
    private readonly hooks: NormalizedHooks,
    private readonly logger: Logger,
  ) {}

  get isEmpty(): boolean {
    return HOOK_KINDS.every((kind) => this.hooks[kind].length === 0);
  }

  async beforeRequest(
    config: AxiosRequestConfig,
    context: HookContext,
  ): Promise<AxiosRequestConfig> {
    let current = config;
    for (const hook of this.hooks.beforeRequest) {
      current = (await hook(current, context)) ?? current;
    }
    return current;
  }

  /** A throwing hook is logged through `redactor`, the attempt's: it knows the credential sent. */
  async runLogged<V>(
    kind: 'afterResponse' | 'onError',
    value: V,
    context: HookContext,
    redactor: Redactor,
  ): Promise<V> {
    const hooks = this.hooks[kind] as readonly ((value: V, context: HookContext) => unknown)[];
    let current = value;
    for (const [index, hook] of hooks.entries()) {
      try {
        current = ((await hook(current, context)) as V | undefined) ?? current;
      } catch (error) {
        const message =
          error instanceof Error ? `${error.name}: ${error.message}` : 'non-Error thrown';
        this.logger.warn(
          `${kind} hook #${index + 1} failed for request ${context.requestId} ` +
            `(attempt ${context.attempt}); the outcome is kept. ${redactor.text(message)}`,
        );
      }
    }
    return current;
  }
}

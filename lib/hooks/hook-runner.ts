import { Logger } from '@nestjs/common';
import { AxiosRequestConfig, AxiosResponse } from 'axios';
import { Redactor } from '../errors/redaction';
import { HOOK_KINDS, HookContext, NormalizedHooks } from './hook.types';

/**
 * Runs a client's hooks in registration order. A throwing `beforeRequest` aborts the call with
 * its error; a throwing `afterResponse` or `onError` is logged and never changes the outcome.
 */
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

  /** `redactor`: the attempt's, which knows the credential just sent, for failure reports. */
  async afterResponse(
    response: AxiosResponse,
    context: HookContext,
    redactor: Redactor,
  ): Promise<AxiosResponse> {
    let current = response;
    for (const [index, hook] of this.hooks.afterResponse.entries()) {
      try {
        current = (await hook(current, context)) ?? current;
      } catch (error) {
        this.reportFailure('afterResponse', index, error, context, redactor);
      }
    }
    return current;
  }

  async onError(error: unknown, context: HookContext, redactor: Redactor): Promise<void> {
    for (const [index, hook] of this.hooks.onError.entries()) {
      try {
        await hook(error, context);
      } catch (hookError) {
        this.reportFailure('onError', index, hookError, context, redactor);
      }
    }
  }

  private reportFailure(
    kind: string,
    index: number,
    error: unknown,
    context: HookContext,
    redactor: Redactor,
  ): void {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : 'non-Error thrown';
    this.logger.warn(
      `${kind} hook #${index + 1} failed for request ${context.requestId} ` +
        `(attempt ${context.attempt}); the outcome is kept. ${redactor.text(message)}`,
    );
  }
}

import { Logger, OnModuleDestroy } from '@nestjs/common';
import { AuthenticationException } from '../errors';
import { withTimeLimit } from '../storage/deadline';
import { TokenData } from './token-data';
import { TokenProvider } from './token-provider.interface';

/**
 * A TokenManager's calls to its provider: each bounded (DESIGN "Bounded waits") and told when no
 * caller waits any more; shutdown passed on to a provider Nest does not know.
 */
export class ProviderCalls {
  private readonly logger = new Logger('TokenManager');
  /** Aborted by the manager's shutdown. */
  readonly closing = new AbortController();

  constructor(
    private readonly provider: TokenProvider,
    private readonly fetchTimeoutMs: number,
  ) {}

  get closed(): boolean {
    return this.closing.signal.aborted;
  }

  /**
   * The provider's fetch or refresh within `budgetMs`, what is left of its worst case; none
   * starts when nothing is left (the token endpoint is not called for a caller already gone).
   */
  async fetch(basis: TokenData | undefined, budgetMs: number): Promise<TokenData> {
    if (budgetMs <= 0) throw this.tooSlow();
    // Aborted once no caller waits (the budget passed, or shutdown): the provider may stop.
    const stop = new AbortController();
    const options = { signal: AbortSignal.any([stop.signal, this.closing.signal]) };
    const refresh = this.provider.refreshToken?.bind(this.provider);
    const fetching = (async () =>
      basis && refresh ? refresh(basis, options) : this.provider.fetchToken(options))();
    try {
      return await withTimeLimit(fetching, budgetMs, () => this.tooSlow());
    } finally {
      stop.abort();
    }
  }

  /** Stops for good; a provider's own hook runs too (Nest's may then run it twice: harmless). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closing.abort();
    // A provider built in code is no Nest provider: Nest would never tell it.
    try {
      await (this.provider as Partial<OnModuleDestroy>).onModuleDestroy?.();
    } catch (error) {
      const name = error instanceof Error ? error.name : 'error';
      this.logger.warn(
        `Token provider for "${this.provider.serviceName}" failed to stop (${name})`,
      );
    }
  }

  tooSlow(): AuthenticationException {
    const { serviceName } = this.provider;
    return new AuthenticationException(
      `Token fetch for "${serviceName}" did not finish within ${this.fetchTimeoutMs} ms`,
      { serviceName },
    );
  }

  shutDown(): AuthenticationException {
    const { serviceName } = this.provider;
    return new AuthenticationException(
      `Token fetch for "${serviceName}" stopped: the application is shutting down`,
      { serviceName },
    );
  }
}

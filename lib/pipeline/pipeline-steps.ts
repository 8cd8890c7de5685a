import { Logger } from '@nestjs/common';
import { catchError, defer, from, lastValueFrom, retry, throwError } from 'rxjs';
import { AuthenticationException } from '../errors';
import { observedStepFetch } from '../observability/token-fetch.observer';
import { TokenLock } from '../storage/token-lock.interface';
import { TokenStorage } from '../storage/token-storage.interface';
import { TokenData } from '../tokens/token-data';
import { TokenManager } from '../tokens/token-manager';
import { PipelineContext } from './pipeline-context';
import { TokenFetcher } from './token-fetcher';

export interface PipelineStepsOptions {
  serviceName: string;
  fetchers: ReadonlyMap<string, TokenFetcher>;
  finalStep: string;
  /** Storage key of each step (`<prefix>:<step>:<hash>`). */
  keys: ReadonlyMap<string, string>;
  /** Worst-case duration of each step's fetch, dependencies included. */
  worstCaseMs: ReadonlyMap<string, number>;
  storage: TokenStorage;
  lock?: TokenLock;
}

/** A step refused a cached upstream token (RFC 6750 §3.1 `invalid_token`): fetch those again. */
class UpstreamRefused {
  constructor(
    readonly cause: unknown,
    readonly reused: readonly (readonly [string, TokenData])[],
  ) {}
}

/**
 * The steps of one pipeline as one service runs them. Every step but the final one is a
 * `TokenManager` of its own (served until it expires: `refreshSkew: 0`), which gives it the
 * storage, the lock and one fetch for concurrent callers. The final step is fetched on each call:
 * the client's `TokenManager` is the one that keeps its token.
 */
export class PipelineSteps {
  private readonly logger = new Logger('TokenFetchPipeline');
  private readonly managers = new Map<string, TokenManager>();
  // When a step's token was fetched here, to tell a token fetched for this run from a cached one.
  private readonly fetchedAt = new WeakMap<TokenData, number>();

  constructor(private readonly options: PipelineStepsOptions) {
    for (const [name, fetcher] of options.fetchers) {
      if (name === options.finalStep) continue;
      const provider = {
        serviceName: options.serviceName,
        fetchTimeoutMs: options.worstCaseMs.get(name),
        fetchToken: () => this.fetchStep(fetcher),
      };
      this.managers.set(
        name,
        new TokenManager(provider, options.storage, {
          refreshSkew: 0,
          storageKey: options.keys.get(name),
          ...(options.lock ? { lock: options.lock } : {}),
        }),
      );
    }
  }

  /** A step's token: cached ones from their managers, the final one fetched now. */
  tokenOf(step: string): Promise<TokenData> {
    const manager = this.managers.get(step);
    if (manager) return manager.getToken();
    return this.fetchStep(this.options.fetchers.get(step) as TokenFetcher);
  }

  async cachedToken(step: string): Promise<TokenData | undefined> {
    return this.managers.get(step)?.cachedToken();
  }

  /** Drops the tokens of `steps`; a fetch of theirs already running is not kept either. */
  async invalidate(steps: readonly string[]): Promise<void> {
    await Promise.all(steps.map((step) => this.managers.get(step)?.invalidate()));
  }

  /**
   * Fetches one step with its dependencies' tokens. When its endpoint refuses a dependency's
   * cached token as revoked, those dependencies are fetched again and the step retried, once.
   */
  private fetchStep(fetcher: TokenFetcher): Promise<TokenData> {
    const startedAt = Date.now();
    return lastValueFrom(
      defer(() => this.fetchOnce(fetcher, startedAt)).pipe(
        retry({
          count: 1,
          delay: (error: unknown) =>
            error instanceof UpstreamRefused
              ? from(this.dropRefused(fetcher.name, error))
              : throwError(() => error),
        }),
        catchError((error: unknown) =>
          throwError(() => (error instanceof UpstreamRefused ? error.cause : error)),
        ),
      ),
    );
  }

  private async fetchOnce(fetcher: TokenFetcher, startedAt: number): Promise<TokenData> {
    const dependencies = await Promise.all(
      fetcher.dependsOn.map(async (name) => [name, await this.tokenOf(name)] as const),
    );
    const context = new PipelineContext(
      fetcher.name,
      this.options.serviceName,
      new Map(dependencies),
    );
    let token: TokenData;
    try {
      token = await observedStepFetch(fetcher, context);
    } catch (error) {
      this.logger.warn(
        error instanceof Error ? error.message : `Pipeline step '${fetcher.name}' failed`,
      );
      const reused = dependencies.filter(([, dep]) => (this.fetchedAt.get(dep) ?? 0) < startedAt);
      if (reused.length > 0 && refusedUpstreamToken(fetcher, error)) {
        throw new UpstreamRefused(error, reused);
      }
      throw error;
    }
    this.fetchedAt.set(token, Date.now());
    const expiresIn = token.expiresInMs();
    this.logger.debug(
      `Pipeline step '${fetcher.name}' of service '${this.options.serviceName}' fetched` +
        (expiresIn === undefined ? ' (no expiry)' : ` (valid for ${expiresIn} ms)`),
    );
    return token;
  }

  private async dropRefused(step: string, refused: UpstreamRefused): Promise<void> {
    const names = refused.reused.map(([name]) => name);
    this.logger.warn(`Pipeline step '${step}': fetching ${names.join(', ')} again`);
    // Exactly the refused tokens: one a peer already replaced is kept.
    await Promise.all(
      refused.reused.map(([name, token]) => this.managers.get(name)?.invalidate(token)),
    );
  }
}

function refusedUpstreamToken(fetcher: TokenFetcher, error: unknown): boolean {
  return (
    error instanceof AuthenticationException &&
    error.step === fetcher.name &&
    error.status === 401 &&
    error.error === 'invalid_token'
  );
}

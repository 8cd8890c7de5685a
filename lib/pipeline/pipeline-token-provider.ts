import { ConfigurationException } from '../errors';
import { TokenData } from '../tokens/token-data';
import { TokenProvider } from '../tokens/token-provider.interface';
import { TokenFetchPipeline } from './token-fetch-pipeline';

export interface PipelineTokenProviderOptions {
  serviceName: string;
  /**
   * The step fetched again (with the steps that depend on it) when the API refuses the token.
   * Default: the final step, the only token the API saw.
   */
  refreshFromStep?: string;
}

/**
 * A `TokenProvider` whose token is the last step of a pipeline.
 *
 * The pipeline caches every step, the final one included, so a provider that only ran it would
 * hand a refused token straight back. Two ways out, for the two reasons a token is replaced:
 * - `onUnauthorized(refused)`: the API answered 401. Drops `refreshFromStep` and its dependents;
 *   the next `fetchToken()` fetches those again and reuses the other steps.
 * - `refreshToken(current)`: the token is about to expire. Drops only the final step.
 */
export class PipelineTokenProvider implements TokenProvider {
  readonly serviceName: string;
  readonly refreshFromStep: string;
  private lastRefused?: TokenData;

  constructor(
    readonly pipeline: TokenFetchPipeline,
    options: PipelineTokenProviderOptions,
  ) {
    if (typeof options?.serviceName !== 'string' || options.serviceName.trim() === '') {
      throw new ConfigurationException(
        'PipelineTokenProvider: serviceName must be a non-empty string',
        {
          field: 'serviceName',
        },
      );
    }
    this.serviceName = options.serviceName;
    const refreshFrom = options.refreshFromStep ?? pipeline.finalStep;
    if (!pipeline.stepNames.includes(refreshFrom)) {
      throw new ConfigurationException(
        `PipelineTokenProvider '${options.serviceName}': refreshFromStep '${refreshFrom}' is not a step of the pipeline`,
        { field: 'refreshFromStep' },
      );
    }
    this.refreshFromStep = refreshFrom;
  }

  get cacheKey(): string {
    return `pipeline:${this.pipeline.cacheKey}`;
  }

  /** The final step's token; cached steps are not fetched again. */
  fetchToken(): Promise<TokenData> {
    return this.pipeline.run({ serviceName: this.serviceName });
  }

  /** Renews an expiring final token; a token a peer already renewed is returned as is. */
  async refreshToken(current: TokenData): Promise<TokenData> {
    const cached = await this.pipeline.cachedToken(this.pipeline.finalStep);
    if (cached && !cached.sameTokenAs(current) && !cached.isExpired()) return cached;
    await this.pipeline.invalidateStep(this.pipeline.finalStep);
    return this.fetchToken();
  }

  /**
   * The API refused `refused` (401): the next `fetchToken()` fetches `refreshFromStep` and its
   * dependents again. Many requests refused with the same token invalidate once; a token already
   * replaced is left alone. Without `refused`, invalidates unconditionally.
   */
  async onUnauthorized(refused?: TokenData): Promise<void> {
    if (refused) {
      // Checked and set before any await: concurrent 401s for one token must not refetch twice.
      if (this.lastRefused?.sameTokenAs(refused)) return;
      this.lastRefused = refused;
      const cached = await this.pipeline.cachedToken(this.pipeline.finalStep);
      if (cached && !cached.sameTokenAs(refused)) return;
    }
    await this.pipeline.invalidateStep(this.refreshFromStep);
  }
}

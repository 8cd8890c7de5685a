import { OptionChecker } from '../errors/option-checker';
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
 * A `TokenProvider` whose token is the last step of a pipeline, kept by the `TokenManager` above
 * (the pipeline caches the steps before it). A 401 drops `refreshFromStep` and its dependents.
 */
export class PipelineTokenProvider implements TokenProvider {
  readonly serviceName: string;
  readonly refreshFromStep: string;

  constructor(
    readonly pipeline: TokenFetchPipeline,
    options: PipelineTokenProviderOptions,
  ) {
    const check = new OptionChecker('PipelineTokenProvider');
    this.serviceName = check.string('serviceName', options?.serviceName);
    this.refreshFromStep = options.refreshFromStep ?? pipeline.finalStep;
    if (!pipeline.stepNames.includes(this.refreshFromStep)) {
      check.fail('refreshFromStep', `'${this.refreshFromStep}' is not a step of the pipeline`);
    }
  }

  get cacheKey(): string {
    return `pipeline:${this.pipeline.cacheKey}`;
  }

  /** Every step fetched, dependencies included, each at most twice. */
  get fetchTimeoutMs(): number {
    return this.pipeline.fetchTimeoutMs;
  }

  fetchToken(): Promise<TokenData> {
    return this.pipeline.run({ serviceName: this.serviceName });
  }

  /** Nest's shutdown: a step request under way stops now, not at its timeout. */
  onModuleDestroy(): void {
    this.pipeline.close();
  }

  async onUnauthorized(): Promise<void> {
    // The final token is not cached in the pipeline: dropping it is the manager's job.
    if (this.refreshFromStep === this.pipeline.finalStep) return;
    await this.pipeline.invalidateStep(this.refreshFromStep);
  }
}

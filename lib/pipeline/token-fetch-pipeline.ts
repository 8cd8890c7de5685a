import { createHash } from 'node:crypto';
import { OptionChecker } from '../errors/option-checker';
import { InMemoryTokenStorage } from '../storage/in-memory-token-storage';
import { TokenLock } from '../storage/token-lock.interface';
import { TokenStorage } from '../storage/token-storage.interface';
import { TokenData } from '../tokens/token-data';
import { PipelinePlan, planPipeline } from './pipeline-plan';
import { PipelineSteps } from './pipeline-steps';
import { TokenFetcher } from './token-fetcher';

export interface TokenFetchPipelineOptions {
  steps: readonly TokenFetcher[];
  /** Where each step's token is cached. Default: a new `InMemoryTokenStorage`. */
  storage?: TokenStorage;
  /** Start of every storage key. Default `'token_pipeline'`. */
  cacheKeyPrefix?: string;
  /**
   * Single flight across processes that share `storage` (e.g. a Redis lock): one of them fetches
   * a missing step, the others read what it stored. Default: within this process only.
   */
  lock?: TokenLock;
}

export interface PipelineRunOptions {
  /** Names the service in errors and logs. Default `'token-pipeline'`. */
  serviceName?: string;
}

const DEFAULT_SERVICE_NAME = 'token-pipeline';

/**
 * Runs token steps in dependency order. Each step before the final one is cached on its own (for
 * the shorter of its `ttl` and `expires_in`), so a step is fetched only when its token is missing
 * and a step whose own token is cached needs none of its dependencies. Concurrent runs share one
 * fetch per step. The final step's token is not cached here: `run()` fetches it, and a
 * `TokenManager` over a `PipelineTokenProvider` keeps it.
 */
export class TokenFetchPipeline {
  /** Step names, dependencies first. */
  readonly stepNames: readonly string[];
  /** The step whose token the pipeline returns. */
  readonly finalStep: string;
  private readonly plan: PipelinePlan;
  private readonly fetchers: ReadonlyMap<string, TokenFetcher>;
  private readonly keys: ReadonlyMap<string, string>;
  private readonly worstCaseMs = new Map<string, number>();
  private readonly storage: TokenStorage;
  private readonly lock?: TokenLock;
  /** The steps as each service name runs them (errors and logs name the service). */
  private readonly runs = new Map<string, PipelineSteps>();

  constructor(options: TokenFetchPipelineOptions) {
    const check = new OptionChecker('TokenFetchPipeline');
    const steps = options?.steps;
    if (!Array.isArray(steps)) check.fail('steps', 'must be an array of fetchers');
    steps.forEach((step, i) => {
      if (!(step instanceof TokenFetcher)) {
        check.fail(`steps[${i}]`, 'must be a BodyTokenFetcher or HeaderTokenFetcher');
      }
    });
    this.plan = planPipeline(steps, check);
    this.stepNames = this.plan.order;
    this.finalStep = this.plan.finalStep;
    this.fetchers = new Map(steps.map((step) => [step.name, step]));
    const prefix = options.cacheKeyPrefix ?? 'token_pipeline';
    this.keys = new Map(
      steps.map((step) => [step.name, `${prefix}:${step.name}:${step.cacheKey}`]),
    );
    for (const name of this.stepNames) {
      const fetcher = this.fetchers.get(name) as TokenFetcher;
      const upstream = Math.max(
        0,
        ...fetcher.dependsOn.map((dep) => this.worstCaseMs.get(dep) ?? 0),
      );
      // With dependencies, a step may fetch them and itself twice (a revoked upstream token).
      const once = fetcher.timeout + upstream;
      this.worstCaseMs.set(name, fetcher.dependsOn.length > 0 ? 2 * once : once);
    }
    this.storage = options.storage ?? new InMemoryTokenStorage();
    if (options.lock) this.lock = options.lock;
  }

  /** Identifies every step's configuration (secrets redacted), for keys of caches above this. */
  get cacheKey(): string {
    const keys = this.stepNames.map((name) => this.keys.get(name));
    return createHash('sha256').update(JSON.stringify(keys)).digest('hex').slice(0, 16);
  }

  /** Longest a run can take, every step fetched (a bound for the TokenManager above). */
  get fetchTimeoutMs(): number {
    return this.worstCaseMs.get(this.finalStep) as number;
  }

  /** The final step's token, fetched now; only the steps before it whose tokens are missing run. */
  run(options: PipelineRunOptions = {}): Promise<TokenData> {
    return this.tokenOf(this.finalStep, options);
  }

  /** One step's token, fetching it (and what it needs) when it is not cached. */
  tokenOf(step: string, options: PipelineRunOptions = {}): Promise<TokenData> {
    this.assertStep(step);
    return this.stepsFor(options.serviceName ?? DEFAULT_SERVICE_NAME).tokenOf(step);
  }

  /** The cached token of a step, without fetching anything (never the final step's). */
  cachedToken(step: string): Promise<TokenData | undefined> {
    this.assertStep(step);
    return this.anySteps().cachedToken(step);
  }

  /** `step` and every step that depends on it, in run order. */
  dependentsOf(step: string): readonly string[] {
    this.assertStep(step);
    return this.plan.dependentsOf(step);
  }

  /** Drops the token of `step` and of every step that depends on it; returns their names. */
  async invalidateStep(step: string): Promise<readonly string[]> {
    const dropped = this.dependentsOf(step);
    this.anySteps(); // the storage is dropped even before this process ran the pipeline
    await Promise.all([...this.runs.values()].map((run) => run.invalidate(dropped)));
    return dropped;
  }

  /** The steps of any service: they share the storage. */
  private anySteps(): PipelineSteps {
    const [first] = this.runs.values();
    return first ?? this.stepsFor(DEFAULT_SERVICE_NAME);
  }

  private stepsFor(serviceName: string): PipelineSteps {
    let steps = this.runs.get(serviceName);
    if (!steps) {
      steps = new PipelineSteps({
        serviceName,
        fetchers: this.fetchers,
        finalStep: this.finalStep,
        keys: this.keys,
        worstCaseMs: this.worstCaseMs,
        storage: this.storage,
        ...(this.lock ? { lock: this.lock } : {}),
      });
      this.runs.set(serviceName, steps);
    }
    return steps;
  }

  private assertStep(step: string): void {
    if (!this.fetchers.has(step)) {
      new OptionChecker('TokenFetchPipeline').fail(
        'step',
        `'${step}' is not a step of the pipeline`,
      );
    }
  }
}

import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AuthenticationException, ConfigurationException } from '../errors';
import { InMemoryTokenStorage } from '../storage/in-memory-token-storage';
import { TokenLock } from '../storage/token-lock.interface';
import { TokenStorage } from '../storage/token-storage.interface';
import { TokenData } from '../tokens/token-data';
import { PipelineContext } from './pipeline-context';
import { PipelinePlan, planPipeline } from './pipeline-plan';
import { StepTokenCache } from './step-token-cache';
import { TokenFetcher } from './token-fetcher';

export interface TokenFetchPipelineOptions {
  steps: readonly TokenFetcher[];
  /** Where each step's token is cached. Default: a new `InMemoryTokenStorage`. */
  storage?: TokenStorage;
  /** Start of every storage key. Default `'token_pipeline'`. */
  cacheKeyPrefix?: string;
  /**
   * Single flight across processes that share `storage` (e.g. a Redis lock): one of them fetches
   * a missing step, the others read what it stored. Default: within this pipeline only.
   */
  lock?: TokenLock;
}

export interface PipelineRunOptions {
  /** Names the service in errors and logs. Default `'token-pipeline'`. */
  serviceName?: string;
}

/**
 * Runs token steps in dependency order. Each step's token is cached on its own (for the shorter
 * of its `ttl` and `expires_in`), so a step is fetched only when its token is missing and a step
 * whose own token is cached needs none of its dependencies. Concurrent runs share one fetch per
 * step.
 */
export class TokenFetchPipeline {
  /** Step names, dependencies first. */
  readonly stepNames: readonly string[];
  /** The step whose token the pipeline returns. */
  readonly finalStep: string;
  private readonly logger = new Logger(TokenFetchPipeline.name);
  private readonly plan: PipelinePlan;
  private readonly steps: ReadonlyMap<string, TokenFetcher>;
  private readonly cache: StepTokenCache;
  private readonly lock?: TokenLock;
  private readonly inFlight = new Map<string, Promise<TokenData>>();
  // Bumped when a step is invalidated, so a fetch that started before is not cached after it.
  private readonly generations = new Map<string, number>();
  // When this pipeline fetched a token, to tell a cached upstream token from one fetched just now.
  private readonly fetchedAt = new WeakMap<TokenData, number>();

  constructor(options: TokenFetchPipelineOptions) {
    const steps = options?.steps;
    if (!Array.isArray(steps)) {
      throw new ConfigurationException('TokenFetchPipeline: steps must be an array of fetchers', {
        field: 'steps',
      });
    }
    steps.forEach((step, i) => {
      if (!(step instanceof TokenFetcher)) {
        throw new ConfigurationException(
          `TokenFetchPipeline: steps[${i}] must be a BodyTokenFetcher or HeaderTokenFetcher`,
          { field: `steps[${i}]` },
        );
      }
    });
    this.plan = planPipeline(steps);
    this.stepNames = this.plan.order;
    this.finalStep = this.plan.finalStep;
    this.steps = new Map(steps.map((step) => [step.name, step]));
    const prefix = options.cacheKeyPrefix ?? 'token_pipeline';
    this.cache = new StepTokenCache(
      options.storage ?? new InMemoryTokenStorage(),
      new Map(steps.map((step) => [step.name, `${prefix}:${step.name}:${step.cacheKey}`])),
    );
    if (options.lock) this.lock = options.lock;
  }

  /** Identifies every step's configuration (secrets redacted), for keys of caches above this. */
  get cacheKey(): string {
    const keys = this.stepNames.map((name) => this.cache.keyOf(name));
    return createHash('sha256').update(JSON.stringify(keys)).digest('hex').slice(0, 16);
  }

  /** The final step's token, fetching only the steps whose tokens are not cached. */
  run(options: PipelineRunOptions = {}): Promise<TokenData> {
    return this.tokenOf(this.finalStep, options);
  }

  /** One step's token, fetching it (and what it needs) when it is not cached. */
  tokenOf(step: string, options: PipelineRunOptions = {}): Promise<TokenData> {
    this.assertStep(step);
    return this.resolve(step, options.serviceName ?? 'token-pipeline');
  }

  /** The cached token of a step, without fetching anything. */
  async cachedToken(step: string): Promise<TokenData | undefined> {
    this.assertStep(step);
    return this.cache.read(step);
  }

  /** `step` and every step that depends on it, in run order. */
  dependentsOf(step: string): readonly string[] {
    this.assertStep(step);
    return this.plan.dependentsOf(step);
  }

  /** Drops the token of `step` and of every step that depends on it; returns their names. */
  async invalidateStep(step: string): Promise<readonly string[]> {
    const dropped = this.dependentsOf(step);
    await this.drop(dropped);
    return dropped;
  }

  /** Drops every step's token. */
  async invalidateAll(): Promise<void> {
    await Promise.all(
      this.stepNames
        .filter((name) => this.steps.get(name)?.dependsOn.length === 0)
        .map((name) => this.invalidateStep(name)),
    );
  }

  private resolve(step: string, serviceName: string): Promise<TokenData> {
    const running = this.inFlight.get(step);
    if (running) return running;
    const resolving = this.loadOrFetch(step, serviceName).finally(() => {
      if (this.inFlight.get(step) === resolving) this.inFlight.delete(step);
    });
    // Registered before the first await, so concurrent runs find it even during the cache read.
    this.inFlight.set(step, resolving);
    return resolving;
  }

  private async loadOrFetch(step: string, serviceName: string): Promise<TokenData> {
    const generation = this.generation(step);
    const cached = await this.cache.read(step);
    if (cached) return cached;
    const fetcher = this.steps.get(step) as TokenFetcher;
    const startedAt = Date.now();
    const context = await this.contextFor(fetcher, serviceName);
    try {
      return await this.fetchExclusive(fetcher, context, generation);
    } catch (error) {
      const reused = context.steps.filter(
        (name) => !this.fetchedSince(context.get(name), startedAt),
      );
      if (!refusedUpstreamToken(fetcher, error) || reused.length === 0) throw error;
      // RFC 6750 §3.1 invalid_token: the endpoint refused a cached token of an earlier step,
      // revoked before it expired. Those steps are fetched again, once.
      this.logger.warn(`Pipeline step '${step}': fetching ${reused.join(', ')} again`);
      await this.drop(reused);
      return this.fetchExclusive(fetcher, await this.contextFor(fetcher, serviceName), generation);
    }
  }

  private async contextFor(fetcher: TokenFetcher, serviceName: string): Promise<PipelineContext> {
    const dependencies = await Promise.all(
      fetcher.dependsOn.map(async (name) => [name, await this.resolve(name, serviceName)] as const),
    );
    return new PipelineContext(fetcher.name, serviceName, new Map(dependencies));
  }

  private fetchExclusive(
    fetcher: TokenFetcher,
    context: PipelineContext,
    generation: number,
  ): Promise<TokenData> {
    const work = {
      fetch: () => this.fetchAndStore(fetcher, context, generation),
      poll: () => this.cache.read(fetcher.name),
      fetchTimeoutMs: fetcher.timeout,
    };
    return this.lock ? this.lock.runExclusive(this.cache.keyOf(fetcher.name), work) : work.fetch();
  }

  private fetchedSince(token: TokenData, since: number): boolean {
    return (this.fetchedAt.get(token) ?? 0) >= since;
  }

  private async fetchAndStore(
    fetcher: TokenFetcher,
    context: PipelineContext,
    generation: number,
  ): Promise<TokenData> {
    const step = fetcher.name;
    let token: TokenData;
    try {
      token = await fetcher.fetch(context);
    } catch (error) {
      this.logger.warn(error instanceof Error ? error.message : `Pipeline step '${step}' failed`);
      throw error;
    }
    const expiresIn = token.expiresInMs();
    this.logger.debug(
      `Pipeline step '${step}' of service '${context.serviceName}' fetched` +
        (expiresIn === undefined ? ' (no expiry)' : ` (valid for ${expiresIn} ms)`),
    );
    this.fetchedAt.set(token, Date.now());
    if (this.generation(step) === generation) await this.cache.write(step, token);
    return token;
  }

  private async drop(steps: readonly string[]): Promise<void> {
    for (const name of steps) {
      this.generations.set(name, this.generation(name) + 1);
      this.inFlight.delete(name);
    }
    await Promise.all(steps.map((name) => this.cache.remove(name)));
  }

  private generation(step: string): number {
    return this.generations.get(step) ?? 0;
  }

  private assertStep(step: string): void {
    if (!this.steps.has(step)) {
      throw new ConfigurationException(`TokenFetchPipeline has no step '${step}'`, {
        field: 'step',
      });
    }
  }
}

function refusedUpstreamToken(fetcher: TokenFetcher, error: unknown): boolean {
  return (
    fetcher.dependsOn.length > 0 &&
    error instanceof AuthenticationException &&
    error.step === fetcher.name &&
    error.status === 401 &&
    error.error === 'invalid_token'
  );
}

import { Logger } from '@nestjs/common';
import { AuthenticationException } from '../errors';
import { OptionChecker } from '../errors/option-checker';
import { observeTokenFetch } from '../observability/token-fetch.observer';
import { InMemoryTokenStorage } from '../storage/in-memory-token-storage';
import { TokenLock } from '../storage/token-lock.interface';
import { TokenStorage } from '../storage/token-storage.interface';
import { hashCacheKey } from '../tokens/cache-key';
import { TokenData } from '../tokens/token-data';
import { TokenManager } from '../tokens/token-manager';
import { PipelineContext } from './pipeline-context';
import { planPipeline } from './pipeline-plan';
import { TokenFetcher } from './token-fetcher';

export interface TokenFetchPipelineOptions {
  steps: readonly TokenFetcher[];
  /** Where each step's token is cached. Default: a new `InMemoryTokenStorage`. */
  storage?: TokenStorage;
  /** Start of every storage key. Default `'token_pipeline'`. */
  cacheKeyPrefix?: string;
  /** Single flight across processes that share `storage` (e.g. a Redis lock). Default: none. */
  lock?: TokenLock;
}

const DEFAULT_SERVICE_NAME = 'token-pipeline';

/**
 * Runs token steps in dependency order. Every step but the final one is cached on its own (for the
 * shorter of its `ttl` and `expires_in`) by a `TokenManager` of its own (`refreshSkew: 0`: the
 * storage, the lock, one fetch for concurrent runs), so a cached step needs none of its
 * dependencies. `run()` fetches the final step; the `TokenManager` above keeps its token.
 */
export class TokenFetchPipeline {
  /** Dependencies first. */
  readonly stepNames: readonly string[];
  readonly finalStep: string;
  private readonly logger = new Logger('TokenFetchPipeline');
  private readonly check = new OptionChecker('TokenFetchPipeline');
  private readonly plan: ReturnType<typeof planPipeline>;
  private readonly fetchers: ReadonlyMap<string, TokenFetcher>;
  private readonly keys: ReadonlyMap<string, string>;
  private readonly storage: TokenStorage;
  private readonly lock?: TokenLock;
  /** The step managers of each service name (errors and logs name the service). */
  private readonly runs = new Map<string, Map<string, TokenManager>>();
  // When a step's token was fetched here, to tell a token fetched for this run from a cached one.
  private readonly fetchedAt = new WeakMap<TokenData, number>();
  /** After `close()` a stopped step is no failure worth a warning. */
  private closed = false;

  constructor(options: TokenFetchPipelineOptions) {
    const check = this.check;
    const steps = options?.steps;
    if (!Array.isArray(steps)) check.fail('steps', 'must be an array of fetchers');
    const notFetcher = steps.findIndex((step) => !(step instanceof TokenFetcher));
    if (notFetcher >= 0) {
      check.fail(`steps[${notFetcher}]`, 'must be a BodyTokenFetcher or HeaderTokenFetcher');
    }
    this.plan = planPipeline(steps, check);
    this.stepNames = this.plan.order;
    this.finalStep = this.plan.finalStep;
    this.fetchers = new Map(steps.map((step) => [step.name, step]));
    const prefix = options.cacheKeyPrefix ?? 'token_pipeline';
    this.keys = new Map(
      steps.map((step) => [step.name, `${prefix}:${step.name}:${step.cacheKey}`]),
    );
    this.storage = options.storage ?? new InMemoryTokenStorage();
    if (options.lock) this.lock = options.lock;
  }

  /** Identifies every step's configuration, for keys of caches above this. */
  get cacheKey(): string {
    const keys = this.stepNames.map((name) => this.keys.get(name));
    return hashCacheKey(keys, 16);
  }

  /** Longest a run can take, every step fetched (a bound for the TokenManager above). */
  get fetchTimeoutMs(): number {
    return this.plan.worstCaseMs.get(this.finalStep) as number;
  }

  /**
   * The final step's token, fetched now; only the steps before it whose tokens are missing run.
   * `serviceName` names the service in errors and logs (default `'token-pipeline'`).
   */
  run(options: { serviceName?: string } = {}): Promise<TokenData> {
    return this.stepToken(options.serviceName ?? DEFAULT_SERVICE_NAME, this.finalStep);
  }

  /** The cached token of a step, without fetching anything (never the final step's). */
  async cachedToken(step: string): Promise<TokenData | undefined> {
    this.assertStep(step);
    return this.anyManagers().get(step)?.cachedToken();
  }

  /** `step` and every step that depends on it, in run order. */
  dependentsOf(step: string): readonly string[] {
    this.assertStep(step);
    return this.plan.dependentsOf(step);
  }

  /** Stops every step request under way, releasing its waiters; none starts after it. */
  close(): void {
    this.closed = true;
    for (const fetcher of this.fetchers.values()) fetcher.close();
    for (const managers of this.runs.values()) {
      for (const manager of managers.values()) void manager.onModuleDestroy();
    }
  }

  /** Drops the token of `step` and of every step that depends on it; returns their names. */
  async invalidateStep(step: string): Promise<readonly string[]> {
    const dropped = this.dependentsOf(step);
    this.anyManagers(); // the storage is dropped even before this process ran the pipeline
    const managers = [...this.runs.values()];
    await Promise.all(
      managers.flatMap((run) => dropped.map((name) => run.get(name)?.invalidate())),
    );
    return dropped;
  }

  private stepToken(serviceName: string, step: string): Promise<TokenData> {
    const manager = this.managersOf(serviceName).get(step);
    if (manager) return manager.getToken();
    return this.fetchStep(serviceName, this.fetchers.get(step) as TokenFetcher);
  }

  /** The managers of any service: they share the storage. */
  private anyManagers(): Map<string, TokenManager> {
    const [first] = this.runs.values();
    return first ?? this.managersOf(DEFAULT_SERVICE_NAME);
  }

  private managersOf(serviceName: string): Map<string, TokenManager> {
    let managers = this.runs.get(serviceName);
    if (managers) return managers;
    managers = new Map();
    for (const [name, fetcher] of this.fetchers) {
      if (name === this.finalStep) continue;
      const provider = {
        serviceName,
        fetchTimeoutMs: this.plan.worstCaseMs.get(name),
        fetchToken: () => this.fetchStep(serviceName, fetcher),
      };
      const options = { refreshSkew: 0, storageKey: this.keys.get(name), lock: this.lock };
      managers.set(name, new TokenManager(provider, this.storage, options));
    }
    this.runs.set(serviceName, managers);
    return managers;
  }

  /**
   * Fetches one step with its dependencies' tokens; when its endpoint refuses a cached one as
   * revoked (RFC 6750 §3.1 `invalid_token`), they are fetched again and the step sent once more.
   */
  private async fetchStep(
    serviceName: string,
    fetcher: TokenFetcher,
    again = false,
  ): Promise<TokenData> {
    const startedAt = Date.now();
    const dependencies = await Promise.all(
      fetcher.dependsOn.map(
        async (name) => [name, await this.stepToken(serviceName, name)] as const,
      ),
    );
    const context = new PipelineContext(fetcher.name, serviceName, new Map(dependencies));
    let token: TokenData;
    try {
      token = await observeTokenFetch(serviceName, () => fetcher.fetch(context), fetcher.name);
    } catch (error) {
      if (this.closed) throw error;
      this.logger.warn(
        error instanceof Error ? error.message : `Pipeline step '${fetcher.name}' failed`,
      );
      const reused = dependencies.filter(([, dep]) => (this.fetchedAt.get(dep) ?? 0) < startedAt);
      if (again || reused.length === 0 || !refusedUpstreamToken(fetcher, error)) throw error;
      const names = reused.map(([name]) => name).join(', ');
      this.logger.warn(`Pipeline step '${fetcher.name}': fetching ${names} again`);
      // Exactly the refused tokens: one a peer already replaced is kept.
      const managers = this.managersOf(serviceName);
      await Promise.all(reused.map(([name, refused]) => managers.get(name)?.invalidate(refused)));
      return this.fetchStep(serviceName, fetcher, true);
    }
    this.fetchedAt.set(token, Date.now());
    const expiresIn = token.expiresInMs();
    this.logger.debug(
      `Pipeline step '${fetcher.name}' of service '${serviceName}' fetched` +
        (expiresIn === undefined ? ' (no expiry)' : ` (valid for ${expiresIn} ms)`),
    );
    return token;
  }

  private assertStep(step: string): void {
    if (!this.fetchers.has(step))
      this.check.fail('step', `'${step}' is not a step of the pipeline`);
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

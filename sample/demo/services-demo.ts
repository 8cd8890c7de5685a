import { Inject, Injectable, Optional } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { lastValueFrom } from 'rxjs';
import {
  ForgeClient,
  ForgeClientOptions,
  InjectForgeClient,
  InjectTokenManager,
  RequestForgeModuleOptions,
  TokenManager,
} from '../../lib';
import { SERVICES_CONFIG } from '../config/services.config';
import { SampleServerStats } from '../embedded/sample-api';
import { SampleControl } from './sample-control';
import { ScenarioResult, ServiceReport } from './sample-report';

export const SAMPLE_CONTROL = 'SAMPLE_CONTROL';
/** `'all'`, or `'shared'`: only the scenarios that leave tokens alone (for several processes). */
export const SAMPLE_SCENARIOS = 'SAMPLE_SCENARIOS';
export type ScenarioSet = 'all' | 'shared';

interface Calls {
  calls: number;
  succeeded: number;
}

type Counter = (stats: SampleServerStats) => {
  tokens: number;
  unauthorized: number;
  /** Token requests per pipeline step. */
  steps?: Record<string, number>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Exercises the three clients the way an app would (it only calls `get`), and asks the embedded
 * servers what that cost: token requests and 401s per scenario.
 */
@Injectable()
export class ServicesDemo {
  constructor(
    @InjectForgeClient('service-a') private readonly serviceA: ForgeClient,
    @InjectForgeClient('service-b') private readonly serviceB: ForgeClient,
    @InjectForgeClient('service-c') private readonly serviceC: ForgeClient,
    @InjectTokenManager('service-a') private readonly serviceATokens: TokenManager,
    private readonly config: ConfigService,
    @Optional() @Inject(SAMPLE_CONTROL) private readonly control?: SampleControl | null,
    @Optional() @Inject(SAMPLE_SCENARIOS) private readonly scenarioSet: ScenarioSet = 'all',
  ) {}

  /** Revoking and refreshing need the embedded servers, and disturb other processes' counts. */
  private get disruptiveControl(): SampleControl | undefined {
    return this.scenarioSet === 'all' && this.control ? this.control : undefined;
  }

  async run(): Promise<ServiceReport[]> {
    return [await this.runServiceA(), await this.runServiceB(), await this.runServiceC()];
  }

  async runServiceA(): Promise<ServiceReport> {
    const count: Counter = (s) => ({
      tokens: s.tokenRequests.serviceA,
      unauthorized: s.api.a.unauthorized,
    });
    const scenarios = [
      await this.scenario('fetched', 'first call fetches a token', count, () =>
        this.calls(this.serviceA, ['/orders']),
      ),
      await this.scenario('cached', '5 concurrent calls reuse the cached token', count, () =>
        this.calls(this.serviceA, [
          '/orders/1',
          '/orders/2',
          '/orders/3',
          '/orders/4',
          '/orders/5',
        ]),
      ),
    ];
    const control = this.disruptiveControl;
    if (control) {
      scenarios.push(
        await this.scenario(
          'revoked',
          'API refused the token: 401, new token, retried',
          count,
          async () => {
            await control.revokeTokensOf('a');
            return this.calls(this.serviceA, ['/orders']);
          },
        ),
        await this.scenario('refreshed', 'renewed in the background before expiry', count, () =>
          this.refreshServiceAToken(),
        ),
      );
    }
    return { service: 'service-a', auth: 'OAuth2 client credentials, oidc-provider', scenarios };
  }

  async runServiceB(): Promise<ServiceReport> {
    const count: Counter = (s) => ({ tokens: 0, unauthorized: s.api.b.unauthorized });
    const scenarios = [
      await this.scenario('api-key', '5 calls with the X-API-Key header', count, () =>
        this.calls(this.serviceB, ['/stock/1', '/stock/2', '/stock/3', '/stock/4', '/stock/5']),
      ),
    ];
    const before = await this.control?.stats();
    const health = await this.scenario(
      'excluded',
      '/health is excluded: sent without the key',
      count,
      () => this.calls(this.serviceB, ['/health']),
    );
    const after = await this.control?.stats();
    if (before && after && after.health.withCredential !== before.health.withCredential) {
      health.description += ' (but the key was sent!)';
    }
    scenarios.push(health);
    return { service: 'service-b', auth: 'API key', scenarios };
  }

  async runServiceC(): Promise<ServiceReport> {
    const count: Counter = (s) => ({
      tokens: s.tokenRequests.serviceCAppToken + s.tokenRequests.serviceCUserToken,
      unauthorized: s.api.c.unauthorized,
      steps: {
        app_token: s.tokenRequests.serviceCAppToken,
        user_token: s.tokenRequests.serviceCUserToken,
      },
    });
    const scenarios = [
      await this.scenario('fetched', 'app token, then user token with {{app_token}}', count, () =>
        this.calls(this.serviceC, ['/profile']),
      ),
      await this.scenario('cached', '4 more calls reuse both cached steps', count, () =>
        this.calls(this.serviceC, ['/profile', '/orders', '/orders/1', '/orders/2']),
      ),
    ];
    const control = this.disruptiveControl;
    if (control) {
      scenarios.push(
        await this.scenario(
          'revoked',
          'user token refused: only the user step is fetched again',
          count,
          async () => {
            await control.revokeTokensOf('c');
            return this.calls(this.serviceC, ['/profile']);
          },
        ),
      );
    }
    return {
      service: 'service-c',
      auth: 'two-step pipeline: app token, then user token',
      scenarios,
    };
  }

  /** Waits until the token is inside its refresh skew, calls, and waits for the new token. */
  private async refreshServiceAToken(): Promise<Calls> {
    const services = this.config.getOrThrow<RequestForgeModuleOptions>(SERVICES_CONFIG);
    const refreshSkew = (services.clients['service-a'] as ForgeClientOptions).refreshSkew ?? 60_000;
    const current = await this.serviceATokens.getToken();
    const expiresAt = current.expiresAt?.getTime() ?? Date.now();
    await sleep(expiresAt - refreshSkew - Date.now() + 100);
    const first = await this.calls(this.serviceA, ['/orders']);
    for (let waited = 0; waited < 3000; waited += 50) {
      const token = await this.serviceATokens.getToken();
      if (!token.sameTokenAs(current)) break;
      await sleep(50);
    }
    const second = await this.calls(this.serviceA, ['/orders']);
    return { calls: first.calls + second.calls, succeeded: first.succeeded + second.succeeded };
  }

  /** Calls every path at once. */
  private async calls(client: ForgeClient, paths: string[]): Promise<Calls> {
    const results = await Promise.allSettled(paths.map((path) => lastValueFrom(client.get(path))));
    const succeeded = results.filter((r) => r.status === 'fulfilled').length;
    return { calls: paths.length, succeeded };
  }

  private async scenario(
    name: string,
    description: string,
    count: Counter,
    run: () => Promise<Calls>,
  ): Promise<ScenarioResult> {
    const before = await this.control?.stats();
    const { calls, succeeded } = await run();
    const after = await this.control?.stats();
    const result: ScenarioResult = { name, description, calls, succeeded };
    if (before && after) {
      result.tokenRequests = count(after).tokens - count(before).tokens;
      result.unauthorized = count(after).unauthorized - count(before).unauthorized;
      const [stepsBefore, stepsAfter] = [count(before).steps, count(after).steps];
      if (stepsBefore && stepsAfter) {
        result.tokenRequestsPerStep = Object.fromEntries(
          Object.keys(stepsAfter).map((step) => [step, stepsAfter[step] - stepsBefore[step]]),
        );
      }
    }
    return result;
  }
}

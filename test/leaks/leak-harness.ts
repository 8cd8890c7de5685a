import { Logger, ModuleMetadata } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { AxiosRequestConfig } from 'axios';
import { lastValueFrom } from 'rxjs';
import {
  ForgeClient,
  ForgeClientOptions,
  ForgeClientRegistry,
  getForgeClientToken,
  RequestForgeModule,
} from '../../lib';
import { LogCapture } from '../support/log-capture';
import { expectNoSecrets, renderings } from '../support/secrets';

const ALL_LEVELS = ['log', 'error', 'warn', 'debug', 'verbose', 'fatal'] as const;

/**
 * Everything a human or a log aggregator could see while clients fail: every Nest Logger line
 * (debug and verbose included), every thrown error in all its renderings, what `onError` hooks
 * were handed, and `toCurl` lines. `expectClean()` fails when any of it holds a secret.
 */
export class LeakHarness {
  readonly logs: LogCapture;
  private readonly secrets = new Set<string>();
  private readonly texts: string[] = [];
  private readonly modules: TestingModule[] = [];
  /** Errors the hooks saw, per attempt. */
  readonly hookErrors: unknown[] = [];

  constructor() {
    // A custom LoggerService gets every level unless log levels were restricted before.
    Logger.overrideLogger([...ALL_LEVELS]);
    this.logs = LogCapture.install();
  }

  /** Values that must never be shown; values shorter than 4 characters are ignored. */
  addSecrets(...values: (string | undefined)[]): void {
    for (const value of values) if (value && value.length >= 4) this.secrets.add(value);
  }

  get secretCount(): number {
    return this.secrets.size;
  }

  /**
   * A client built by the module from plain options, logging headers and bodies, hooks watching;
   * `imports` go next to the module (a CacheModule, for shared storage).
   */
  async client(
    name: string,
    options: ForgeClientOptions,
    imports: NonNullable<ModuleMetadata['imports']> = [],
  ): Promise<ForgeClient> {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ...imports,
        RequestForgeModule.forRoot({
          clients: {
            [name]: {
              logging: { logHeaders: true, logBody: true },
              ...options,
              hooks: [
                { onError: [(error: unknown) => void this.hookErrors.push(error)] },
                ...(options.hooks ?? []),
              ],
            },
          },
        }),
      ],
    })
      .setLogger(this.logs)
      .compile();
    this.modules.push(moduleRef);
    return moduleRef.get<ForgeClient>(getForgeClientToken(name));
  }

  /** Runs the call, expects it to fail, records every rendering of the error and returns it. */
  async failure(
    client: ForgeClient,
    config: AxiosRequestConfig,
  ): Promise<Error & Record<string, unknown>> {
    const error = await lastValueFrom(client.request(config)).then(
      () => {
        throw new Error(`expected ${config.method ?? 'GET'} ${config.url} to fail`);
      },
      (e: unknown) => e,
    );
    this.texts.push(...renderings(error));
    this.texts.push(client.toCurl(config));
    return error as Error & Record<string, unknown>;
  }

  /** Records what every client's `health()` shows (a readiness route serves it as it is). */
  recordHealth(): void {
    for (const moduleRef of this.modules) {
      this.texts.push(JSON.stringify(moduleRef.get(ForgeClientRegistry).health()));
    }
  }

  /** Proves that debug and verbose lines reach the capture, so their absence means something. */
  expectAllLevelsCaptured(): void {
    const probe = new Logger('LeakProbe');
    probe.debug('debug-probe');
    probe.verbose('verbose-probe');
    expect(this.logs.text).toContain('debug debug-probe');
    expect(this.logs.text).toContain('verbose verbose-probe');
  }

  /** Proves logging with headers and bodies was on: the credential header logged as `***`. */
  expectHeadersAndBodiesLogged(): void {
    expect(this.logs.text).toMatch(/request headers \{[^}]*"(Authorization|X-API-Key)":"\*\*\*"/);
    expect(this.logs.text).toContain('response body {');
  }

  /** No log line, error rendering, hook-visible error or curl line holds any secret. */
  expectClean(): void {
    const hookTexts = this.hookErrors.flatMap((e) => renderings(e));
    if (process.env.LEAK_DEBUG) this.printWhereSecretsAre([...this.texts, ...hookTexts]);
    expectNoSecrets([...this.texts, ...hookTexts, this.logs.text], [...this.secrets]);
  }

  /** LEAK_DEBUG=1: what precedes each leaked secret, every secret masked, to find the leak. */
  private printWhereSecretsAre(texts: string[]): void {
    const mask = (text: string) =>
      [...this.secrets].reduce((out, secret) => out.split(secret).join('<SECRET>'), text);
    for (const text of [...texts, this.logs.text]) {
      for (const secret of this.secrets) {
        const at = text.indexOf(secret);
        if (at >= 0) process.stderr.write(`${mask(text.slice(Math.max(0, at - 160), at + 160))}\n`);
      }
    }
  }

  /** Control: the same check over text that does hold `secret` fails. */
  expectDetects(secret: string): void {
    expect(() => expectNoSecrets([`x${secret}x`], [...this.secrets])).toThrow(/secret #\d+/);
  }

  async close(): Promise<void> {
    await Promise.all(this.modules.map((m) => m.close()));
    LogCapture.uninstall();
  }
}

import { AuthenticationException, RequestForgeException } from '../errors';
import { OptionChecker } from '../errors/option-checker';
import { BackoffSettings, exponentialDelay } from '../retry/backoff';

/** Pause of token requests after failed fetches; `initial: 0` turns it off. */
export interface FailureBackoffOptions {
  /** Pause after the first failure, in ms. Default 1_000. */
  initial?: number;
  /** Longest pause, in ms; the pause doubles per consecutive failure up to it. Default 30_000. */
  max?: number;
}

/** The only clock the token code reads (epoch ms). Default `Date`. */
export interface TokenClock {
  now(): number;
}

/** `TokenManager.state`: what a health check needs to know about a manager's tokens. */
export interface TokenManagerState {
  /** It holds an unexpired token that no API has refused. */
  hasValidToken: boolean;
  /** Expiry of that token, when it has one. */
  expiresAt?: Date;
  /** True while no new token request is sent (the last fetch failed and its pause runs). */
  inBackoff: boolean;
  /** When the next token request is allowed, while in backoff. */
  nextAttemptAt?: Date;
  /** When the fetches started failing (the first of the consecutive failures). */
  failingSince?: Date;
  /** Message of the last failure; never quotes a secret. */
  lastError?: string;
  consecutiveFailures: number;
}

export function resolveFailureBackoff(
  check: OptionChecker,
  options: FailureBackoffOptions | undefined,
): BackoffSettings {
  const record = options === undefined ? {} : check.record('failureBackoff', options);
  const at = check.at('failureBackoff');
  at.knownKeys(record, ['initial', 'max']);
  const max = record.max === undefined ? undefined : at.duration('max', record.max);
  const initial = at.duration('initial', record.initial ?? Math.min(1_000, max ?? 1_000));
  if (max !== undefined) at.notAbove('initial', initial, 'failureBackoff.max', max);
  const maxDelay = max ?? Math.max(30_000, initial);
  return { baseDelay: initial, maxDelay, multiplier: 2, jitter: true, random: Math.random };
}

/** DESIGN "Fail closed, without hammering the IdP", with the project's one backoff formula. */
export class FailureBackoff {
  /** The consecutive failures: how many, since when, the last one, and the end of the pause. */
  private failing?: { count: number; since: number; last: AuthenticationException; until: number };

  constructor(
    private readonly settings: BackoffSettings,
    private readonly clock: TokenClock,
    private readonly serviceName: string,
  ) {}

  get active(): boolean {
    return this.failing !== undefined && this.clock.now() < this.failing.until;
  }

  get state(): Omit<TokenManagerState, 'hasValidToken'> {
    const { failing, active } = this;
    return {
      inBackoff: active,
      ...(failing && active ? { nextAttemptAt: new Date(failing.until) } : {}),
      ...(failing
        ? { failingSince: new Date(failing.since), lastError: failing.last.message }
        : {}),
      consecutiveFailures: failing?.count ?? 0,
    };
  }

  /** Records how `fetch` ends: a success resets the backoff, a failure starts or doubles it. */
  track<T>(fetch: Promise<T>): Promise<T> {
    return fetch.then(
      (value) => {
        this.failing = undefined;
        return value;
      },
      (error: unknown) => {
        const now = this.clock.now();
        const count = (this.failing?.count ?? 0) + 1;
        const until = now + exponentialDelay(this.settings, count);
        const last = this.asAuthenticationError(error);
        this.failing = { count, since: this.failing?.since ?? now, last, until };
        throw error;
      },
    );
  }

  /** The last failure, for a caller turned away during the pause: same `error`, safe message. */
  rejection(): AuthenticationException {
    const until = this.failing?.until ?? 0;
    const { message, serviceName, error, errorDescription, status, step } =
      this.failing?.last ?? this.asAuthenticationError(undefined);
    const waitMs = Math.max(0, Math.ceil(until - this.clock.now()));
    return new AuthenticationException(
      `${message}; no new token request for "${this.serviceName}" before ` +
        `${new Date(until).toISOString()} (in ${waitMs} ms, failure backoff)`,
      { serviceName, error, errorDescription, status, step },
    );
  }

  /** Our own errors carry safe messages; a custom provider's error might quote anything. */
  private asAuthenticationError(error: unknown): AuthenticationException {
    if (error instanceof AuthenticationException) return error;
    const why =
      error instanceof RequestForgeException
        ? error.message
        : error instanceof Error
          ? error.name
          : 'unknown error';
    return new AuthenticationException(`Token fetch for "${this.serviceName}" failed: ${why}`, {
      serviceName: this.serviceName,
    });
  }
}

import { RequestForgeException } from '../errors';
import { TokenData } from './token-data';

/** What a TokenManager knows of its token without fetching one: for health checks. */
export interface TokenFetchState {
  /** It holds an unexpired token that no API has refused. */
  hasValidToken: boolean;
  /** Expiry of that token, when it has one. */
  expiresAt?: Date;
  /** First failure of the current run of failed fetches; absent once a fetch succeeds. */
  failingSince?: Date;
  /** The last failure: our own exception's message (they name no secret), else the error name. */
  lastError?: string;
}

/** The current run of failed token fetches of one manager; a successful fetch ends it. */
export class FetchFailures {
  private since?: Date;
  private lastError?: string;

  /** For `.catch()`: notes the failure and rethrows it. */
  readonly failed = (error: unknown): never => {
    this.since ??= new Date();
    this.lastError = safeDescription(error);
    throw error;
  };

  succeeded(): void {
    this.since = undefined;
    this.lastError = undefined;
  }

  /** The state with `token`, the one the manager would serve now if still valid. */
  stateWith(token: TokenData | undefined): TokenFetchState {
    const valid = !!token && !token.isExpired();
    return {
      hasValidToken: valid,
      ...(valid && token.expiresAt ? { expiresAt: token.expiresAt } : {}),
      ...(this.since && { failingSince: this.since }),
      ...(this.lastError !== undefined && { lastError: this.lastError }),
    };
  }
}

function safeDescription(error: unknown): string {
  if (error instanceof RequestForgeException) return error.message;
  return error instanceof Error ? error.name : 'unknown error';
}

import { AppliedAuth, RequestAuth } from './request-auth.interface';

/** A fixed credential (bearer token, API key, basic): the same headers on every request. */
export class StaticAuth implements RequestAuth {
  readonly headerNames: readonly string[];
  private readonly applied: AppliedAuth;

  constructor(
    readonly kind: 'bearer' | 'api-key' | 'basic',
    headers: Record<string, string>,
    readonly secrets: readonly string[],
  ) {
    this.headerNames = Object.keys(headers);
    this.applied = { headers };
  }

  apply(): AppliedAuth {
    return this.applied;
  }
}

import { AppliedAuth, RequestAuth } from './request-auth.interface';

/** `Authorization: Bearer <token>` with a fixed token. */
export class BearerAuth implements RequestAuth {
  readonly kind = 'bearer' as const;
  readonly headerNames = ['Authorization'];
  readonly secrets: readonly string[];
  private readonly applied: AppliedAuth;

  constructor(token: string) {
    this.secrets = [token];
    this.applied = { headers: { Authorization: `Bearer ${token}` } };
  }

  apply(): AppliedAuth {
    return this.applied;
  }
}

/** A fixed API key in a header (`X-API-Key` unless named otherwise). */
export class ApiKeyAuth implements RequestAuth {
  readonly kind = 'api-key' as const;
  readonly headerNames: readonly string[];
  readonly secrets: readonly string[];
  private readonly applied: AppliedAuth;

  constructor(key: string, headerName = 'X-API-Key') {
    this.headerNames = [headerName];
    this.secrets = [key];
    this.applied = { headers: { [headerName]: key } };
  }

  apply(): AppliedAuth {
    return this.applied;
  }
}

/** RFC 7617 Basic: `Authorization: Basic base64(user:password)`. */
export class BasicAuth implements RequestAuth {
  readonly kind = 'basic' as const;
  readonly headerNames = ['Authorization'];
  readonly secrets: readonly string[];
  private readonly applied: AppliedAuth;

  constructor(username: string, password: string) {
    const encoded = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
    this.secrets = [password, encoded];
    this.applied = { headers: { Authorization: `Basic ${encoded}` } };
  }

  apply(): AppliedAuth {
    return this.applied;
  }
}

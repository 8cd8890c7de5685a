import { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { bearerTokenOf, readBody, sendJson } from './http-helpers';

export interface PipelineCredentials {
  appClientId: string;
  appClientSecret: string;
  username: string;
  password: string;
}

/**
 * service-c's two token endpoints: `POST /auth/app-token` (client credentials, form body) issues
 * an app token; `POST /auth/user-token` (JSON body) issues a user token only to a caller that
 * presents a valid app token as its bearer credential.
 */
export class PipelineTokenEndpoints {
  readonly counts = { appToken: 0, userToken: 0 };
  private readonly appTokens = new Set<string>();
  private readonly userTokens = new Set<string>();

  constructor(
    private readonly credentials: PipelineCredentials,
    private readonly expiresInSeconds = 3600,
  ) {}

  acceptsUserToken(token: string): boolean {
    return this.userTokens.has(token);
  }

  /** Handles `/auth/...`; false when the path is not one of its endpoints. */
  async handle(path: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (req.method !== 'POST') return false;
    if (path === '/auth/app-token') {
      this.counts.appToken += 1;
      await this.issueAppToken(req, res);
      return true;
    }
    if (path === '/auth/user-token') {
      this.counts.userToken += 1;
      await this.issueUserToken(req, res);
      return true;
    }
    return false;
  }

  private async issueAppToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const { appClientId, appClientSecret } = this.credentials;
    if (body.client_id !== appClientId || body.client_secret !== appClientSecret) {
      return sendJson(res, 401, { error: 'invalid_client' });
    }
    const token = `app-${randomBytes(12).toString('hex')}`;
    this.appTokens.add(token);
    sendJson(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
  }

  private async issueUserToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const appToken = bearerTokenOf(req);
    const body = await readBody(req);
    if (!appToken || !this.appTokens.has(appToken)) {
      res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
      return sendJson(res, 401, { error: 'invalid_token' });
    }
    if (
      body.username !== this.credentials.username ||
      body.password !== this.credentials.password
    ) {
      return sendJson(res, 400, { error: 'invalid_grant' });
    }
    const token = `user-${randomBytes(12).toString('hex')}`;
    this.userTokens.add(token);
    sendJson(res, 200, { data: { token, expires_in: this.expiresInSeconds } });
  }
}

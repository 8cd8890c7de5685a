import { Test, TestingModule } from '@nestjs/testing';
import { lastValueFrom } from 'rxjs';
import {
  AuthenticationException,
  ForgeClient,
  ForgeClientOptions,
  getForgeClientToken,
  getTokenManagerToken,
  RequestForgeModule,
  TokenManager,
} from '../../lib';
import { dpopSessionOf } from '../../lib/auth/dpop-session';
import { useDpopServers } from '../support/dpop-protected-api';
import { POST_CLIENT } from '../support/oidc-server';
import { TRANSPORTS } from '../support/transports';

describe.each(TRANSPORTS)(
  'DPoP-bound tokens from oidc-provider on an API that verifies proofs (%s)',
  (transport) => {
    const servers = useDpopServers();
    let moduleRef: TestingModule | undefined;

    afterEach(async () => {
      await moduleRef?.close();
      moduleRef = undefined;
    });

    async function start(
      options: Partial<ForgeClientOptions> = {},
    ): Promise<{ client: ForgeClient; manager: TokenManager }> {
      moduleRef = await Test.createTestingModule({
        imports: [
          RequestForgeModule.forRoot({
            clients: {
              orders: {
                baseUrl: servers.api.baseUrl,
                transport,
                storage: 'memory',
                auth: {
                  type: 'client-credentials',
                  tokenUrl: servers.oidc.tokenUrl,
                  clientId: POST_CLIENT.clientId,
                  clientSecret: POST_CLIENT.clientSecret,
                  scope: 'api:read',
                  dpop: { algorithm: 'ES256' },
                },
                ...options,
              },
            },
          }),
        ],
      }).compile();
      return {
        client: moduleRef.get<ForgeClient>(getForgeClientToken('orders')),
        manager: moduleRef.get<TokenManager>(getTokenManagerToken('orders')),
      };
    }

    it('answers the API nonce challenge once, keeps the token, asks the token endpoint once', async () => {
      const { client, manager } = await start();
      const invalidate = jest.spyOn(manager, 'invalidate');

      const response = await lastValueFrom(client.get('/orders?page=1'));

      expect(response.data).toEqual({ ok: true, path: '/orders' });
      // No nonce yet: 401 use_dpop_nonce; one retry with the nonce and the same token.
      expect(servers.api.requests.map((r) => [r.status, r.error])).toEqual([
        [401, 'use_dpop_nonce'],
        [200, undefined],
      ]);
      expect(servers.api.requests[0].token).toBe(servers.api.requests[1].token);
      expect(invalidate).not.toHaveBeenCalled();
      // One token fetch: the token endpoint's own nonce challenge, then the token.
      expect(await servers.oidc.stats()).toMatchObject({ tokenRequests: 2, tokensIssued: 1 });
      const introspection = await servers.oidc.introspect(servers.api.requests[1].token!);
      expect(introspection.cnf?.jkt).toBe(dpopSessionOf(manager)!.thumbprint);
    });

    it('later calls carry the remembered nonce and a fresh proof each: no more challenges', async () => {
      const { client } = await start();
      await lastValueFrom(client.get('/orders'));
      servers.api.requests.length = 0;

      for (const path of ['/a', '/b', '/c']) await lastValueFrom(client.get(path));
      await lastValueFrom(client.post('/d', { item: 1 }));

      expect(servers.api.requests.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect(servers.api.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'GET', 'POST']);
      expect((await servers.oidc.stats()).tokensIssued).toBe(1);
    });

    it('a nonce the API rotated is picked up from its challenge, again with one retry', async () => {
      const { client } = await start();
      await lastValueFrom(client.get('/orders'));
      servers.api.rotateNonce();
      servers.api.requests.length = 0;

      await lastValueFrom(client.get('/orders'));

      expect(servers.api.requests.map((r) => r.status)).toEqual([401, 200]);
      expect(servers.api.count({ error: 'use_dpop_nonce' })).toBe(1);
      expect((await servers.oidc.stats()).tokensIssued).toBe(1);
    });

    it('a second nonce challenge in a row is not retried again: AuthenticationException', async () => {
      const { client, manager } = await start();
      await lastValueFrom(client.get('/orders'));
      const invalidate = jest.spyOn(manager, 'invalidate');
      servers.api.requests.length = 0;
      servers.api.rotateOnEveryRequest = true;

      const error = await lastValueFrom(client.get('/orders')).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(AuthenticationException);
      expect(error).toMatchObject({ status: 401, error: 'use_dpop_nonce', attempts: 2 });
      expect((error as Error).message).toMatch(
        /after 2 attempt\(s\) with a new DPoP nonce each time$/,
      );
      expect(servers.api.count({ error: 'use_dpop_nonce' })).toBe(2);
      expect(invalidate).not.toHaveBeenCalled();
    });

    it('a same-origin redirect gets a proof of its own: the next hop method and URL, same token', async () => {
      const { client } = await start();
      await lastValueFrom(client.get('/orders'));
      servers.api.requests.length = 0;

      const moved = await lastValueFrom(client.get('/moved/orders?page=2'));
      const seeOther = await lastValueFrom(client.post('/moved/receipts', { item: 1 }));

      expect(moved.data).toEqual({ ok: true, path: '/orders' });
      expect(seeOther.data).toEqual({ ok: true, path: '/receipts' });
      // 307 keeps GET, 303 turns the POST into a GET: each proof names the request it went with.
      expect(servers.api.requests.map((r) => [r.method, r.path, r.status])).toEqual([
        ['GET', '/moved/orders', 307],
        ['GET', '/orders', 200],
        ['POST', '/moved/receipts', 303],
        ['GET', '/receipts', 200],
      ]);
      expect(servers.api.requests[3].token).toBe(servers.api.requests[1].token);
      expect((await servers.oidc.stats()).tokensIssued).toBe(1);
    });

    it('a 401 invalid_token is an auth retry: the token is dropped and a new one fetched', async () => {
      const { client, manager } = await start();
      await lastValueFrom(client.get('/orders'));
      const first = servers.api.requests[1].token!;
      await servers.oidc.revoke(first);
      servers.api.requests.length = 0;
      const invalidate = jest.spyOn(manager, 'invalidate');

      await lastValueFrom(client.get('/orders'));

      expect(servers.api.requests.map((r) => [r.status, r.error])).toEqual([
        [401, 'invalid_token'],
        [200, undefined],
      ]);
      expect(invalidate).toHaveBeenCalledTimes(1);
      expect(servers.api.requests[1].token).not.toBe(first);
      expect((await servers.oidc.stats()).tokensIssued).toBe(2);
    });
  },
);

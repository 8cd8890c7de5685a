import { Injectable } from '@nestjs/common';
import { Test, TestingModule, TestingModuleBuilder } from '@nestjs/testing';
import { lastValueFrom } from 'rxjs';
import {
  ForgeClient,
  getTokenManagerToken,
  InjectForgeClient,
  InjectTokenManager,
  RequestForgeModule,
  TokenManager,
} from '../../lib';
import { createTokenProvider } from '../../lib/tokens/token-provider.factory';
import { BASIC_CLIENT, POST_CLIENT } from '../support/oidc-server';
import { useOidcAndApi } from '../support/oidc-and-api';

@Injectable()
class AccountsService {
  constructor(
    @InjectForgeClient('a') private readonly client: ForgeClient,
    @InjectTokenManager('a') readonly manager: TokenManager,
    @InjectTokenManager('b') readonly otherManager: TokenManager,
  ) {}

  async call(): Promise<void> {
    await lastValueFrom(this.client.get('/accounts'));
  }
}

describe('@InjectTokenManager in a TestingModule (issue 3 must-show 9)', () => {
  const servers = useOidcAndApi();
  let moduleRef: TestingModule | undefined;

  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });

  function testingModule(): TestingModuleBuilder {
    return Test.createTestingModule({
      imports: [
        RequestForgeModule.forRoot({
          clients: {
            a: { baseUrl: servers.api.baseUrl, auth: servers.oidc.clientCredentialsAuth() },
            b: { baseUrl: servers.api.baseUrl, auth: servers.oidc.clientCredentialsAuth() },
          },
        }),
      ],
      providers: [AccountsService],
    });
  }

  const lastTokenSent = () => servers.api.requests[servers.api.requests.length - 1].token!;
  const tokenRequests = async () => (await servers.oidc.stats()).tokenRequests;

  it('injects the very manager client "a" uses: its token is the one sent, invalidating it changes what is sent', async () => {
    moduleRef = await testingModule().compile();
    const service = moduleRef.get(AccountsService);
    expect(service.manager).toBeInstanceOf(TokenManager);
    expect(service.manager).toBe(moduleRef.get(getTokenManagerToken('a')));
    expect(service.manager).not.toBe(service.otherManager);

    await service.call();
    const first = lastTokenSent();
    expect((await service.manager.getToken()).accessToken).toBe(first);
    expect(await tokenRequests()).toBe(1);

    // Control: forgetting client b's token leaves what client a sends unchanged.
    const tokenOfB = await service.otherManager.getToken();
    expect(tokenOfB.accessToken).not.toBe(first);
    expect(await tokenRequests()).toBe(2);
    await service.otherManager.invalidate(tokenOfB);
    await service.call();
    expect(lastTokenSent()).toBe(first);
    expect(await tokenRequests()).toBe(2);

    await service.manager.invalidate();
    await service.call();
    expect(lastTokenSent()).not.toBe(first);
    expect(await tokenRequests()).toBe(3);
    expect(servers.api.unauthorizedCount).toBe(0);
  });

  it('overrideProvider(getTokenManagerToken("a")) replaces the manager client "a" uses', async () => {
    const override = new TokenManager(
      createTokenProvider('a', servers.oidc.clientCredentialsAuth(BASIC_CLIENT)),
    );
    moduleRef = await testingModule()
      .overrideProvider(getTokenManagerToken('a'))
      .useValue(override)
      .compile();
    const service = moduleRef.get(AccountsService);
    expect(service.manager).toBe(override);

    await service.call();

    // The token the API got was issued to the override's OAuth client, not the configured one.
    expect((await servers.oidc.introspect(lastTokenSent())).client_id).toBe(BASIC_CLIENT.clientId);
    expect((await override.getToken()).accessToken).toBe(lastTokenSent());
  });

  it('control: without the override, client "a" gets tokens of its configured OAuth client', async () => {
    moduleRef = await testingModule().compile();
    await moduleRef.get(AccountsService).call();
    expect((await servers.oidc.introspect(lastTokenSent())).client_id).toBe(POST_CLIENT.clientId);
  });
});

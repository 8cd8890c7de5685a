import { Injectable } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import {
  ForgeClient,
  getForgeClientToken,
  getTokenManagerToken,
  getTokenProviderToken,
  getTokenStorageToken,
  InjectTokenManager,
  InMemoryTokenStorage,
  RequestForgeModule,
  TokenData,
  TokenManager,
} from '../../lib';

const tokenClient = {
  baseUrl: 'https://orders.example.com',
  auth: {
    type: 'client-credentials' as const,
    tokenUrl: 'https://auth.example.com/token',
    clientId: 'orders',
    clientSecret: 'secret',
  },
};
const staticClient = {
  baseUrl: 'https://legacy.example.com',
  auth: { type: 'bearer' as const, token: 't0ken' },
};

@Injectable()
class NeedsLegacyTokens {
  constructor(@InjectTokenManager('legacy') readonly manager: TokenManager | null) {}
}

describe('the providers each client registers', () => {
  let moduleRef: TestingModule | undefined;
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });

  it('forRoot: a token client has all four, a static client only its ForgeClient', async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        RequestForgeModule.forRoot({ clients: { orders: tokenClient, legacy: staticClient } }),
      ],
    }).compile();
    expect(moduleRef.get(getForgeClientToken('orders'))).toBeInstanceOf(ForgeClient);
    expect(moduleRef.get(getTokenManagerToken('orders'))).toBeInstanceOf(TokenManager);
    expect(moduleRef.get(getTokenProviderToken('orders'))).toBeTruthy();
    expect(moduleRef.get(getTokenStorageToken('orders'))).toBeTruthy();
    expect(moduleRef.get(getForgeClientToken('legacy'))).toBeInstanceOf(ForgeClient);
    for (const token of [getTokenManagerToken, getTokenProviderToken, getTokenStorageToken]) {
      expect(() => moduleRef?.get(token('legacy'))).toThrow();
    }
  });

  it("forRoot: injecting a static client's TokenManager is Nest's unknown-provider error", async () => {
    await expect(
      Test.createTestingModule({
        imports: [RequestForgeModule.forRoot({ clients: { legacy: staticClient } })],
        providers: [NeedsLegacyTokens],
      }).compile(),
    ).rejects.toThrow(/TokenManager:legacy/);
  });

  it("forRootAsync: a static client's token providers resolve to null", async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        RequestForgeModule.forRootAsync({
          clients: ['orders', 'legacy'],
          useFactory: () => ({ clients: { orders: tokenClient, legacy: staticClient } }),
        }),
      ],
      providers: [NeedsLegacyTokens],
    }).compile();
    expect(moduleRef.get(NeedsLegacyTokens).manager).toBeNull();
    expect(moduleRef.get(getTokenStorageToken('legacy'))).toBeNull();
    expect(moduleRef.get(getTokenManagerToken('orders'))).toBeInstanceOf(TokenManager);
  });

  it('a TokenManager given as auth is the one injected; it has no module-built provider or storage', async () => {
    const provider = {
      serviceName: 'own',
      fetchToken: async () => new TokenData({ accessToken: 'own-token' }),
    };
    const manager = new TokenManager(provider, new InMemoryTokenStorage());
    moduleRef = await Test.createTestingModule({
      imports: [
        RequestForgeModule.forRoot({
          clients: { own: { baseUrl: 'https://own.example.com', auth: manager } },
        }),
      ],
    }).compile();
    expect(moduleRef.get(getTokenManagerToken('own'))).toBe(manager);
    // A storage the module built would not be the one the manager reads: none is registered.
    expect(moduleRef.get(getTokenStorageToken('own'))).toBeNull();
    expect(moduleRef.get(getTokenProviderToken('own'))).toBeNull();
  });
});

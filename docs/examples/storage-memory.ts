import {
  InMemoryTokenStorage,
  RequestForgeModule,
  TokenProvider,
  TokenManager,
} from 'nestjs-request-forge';

// The default without a CacheModule: one Map per process.
export function inMemory(provider: TokenProvider): TokenManager {
  return new TokenManager(provider, new InMemoryTokenStorage());
}

// In the module, force it even when a CacheModule is visible:
export const InventoryModule = RequestForgeModule.forRoot({
  clients: {
    inventory: {
      baseUrl: 'https://inventory.example.com',
      auth: {
        type: 'client-credentials',
        tokenUrl: 'https://auth.example.com/oauth/token',
        clientId: 'inventory',
        clientSecret: process.env.INVENTORY_SECRET ?? '',
      },
      storage: 'memory',
    },
  },
});

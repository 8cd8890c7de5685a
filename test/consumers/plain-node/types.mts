// The ESM declarations (the `import` condition), with skipLibCheck false and no optional peers.
import {
  CacheManagerTokenStorage,
  ClientCredentialsTokenProvider,
  ForgeClient,
  getForgeClientToken,
  HttpClientConfigBuilder,
  RequestForgeModule,
  TokenManager,
} from 'nestjs-request-forge';
import * as testing from 'nestjs-request-forge/testing';

const provider = new ClientCredentialsTokenProvider({
  tokenUrl: 'https://auth.example.com/oauth/token',
  clientId: 'id',
  clientSecret: 'secret',
  serviceName: 'orders',
});
const storage = new CacheManagerTokenStorage({
  get: async () => undefined,
  set: async (_key, value) => value,
  del: async () => true,
});
const manager = new TokenManager(provider, storage);
const config = new HttpClientConfigBuilder()
  .withBaseUrl('https://api.example.com')
  .withTokenAuth(manager)
  .build();

export const client: ForgeClient = new ForgeClient(config);
export const token: string = getForgeClientToken('orders');
export const module = RequestForgeModule.forRoot({
  clients: { orders: { baseUrl: 'https://api.example.com', auth: { type: 'bearer', token: 't' } } },
});
export const kit: object = testing;

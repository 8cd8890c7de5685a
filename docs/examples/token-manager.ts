import { lastValueFrom } from 'rxjs';
import {
  ClientCredentialsTokenProvider,
  ForgeClient,
  HttpClientConfigBuilder,
  InMemoryTokenStorage,
  TokenManager,
} from 'nestjs-request-forge';

const provider = new ClientCredentialsTokenProvider({
  tokenUrl: 'https://auth.example.com/oauth/token',
  clientId: 'orders-service',
  clientSecret: process.env.ORDERS_CLIENT_SECRET ?? '',
  serviceName: 'example-api',
  scope: 'read write',
});

export const tokenManager = new TokenManager(provider, new InMemoryTokenStorage(), {
  refreshSkew: 60_000, // renew a token 60 s before it expires (the default)
});

const config = new HttpClientConfigBuilder()
  .withBaseUrl('https://api.example.com')
  .withTokenAuth(tokenManager, { excludedPaths: ['/health'], excludedPathPatterns: ['/public/*'] })
  .build();

export async function profile(): Promise<unknown> {
  // The token is fetched on the first request, cached, renewed before it expires, and fetched
  // again (once) when the API answers 401.
  const client = new ForgeClient(config);
  return (await lastValueFrom(client.get('/protected-resource'))).data;
}

export async function tokenByHand(): Promise<string> {
  const token = await tokenManager.getToken(); // cached until within refreshSkew of expiry
  await tokenManager.invalidate(token); // drop exactly this token (an API refused it)
  return token.authorizationHeader; // "Bearer ..."; never log it
}

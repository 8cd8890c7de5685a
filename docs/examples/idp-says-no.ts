import { lastValueFrom } from 'rxjs';
import {
  AuthenticationException,
  ClientCredentialsTokenProvider,
  ForgeClient,
  HttpClientConfigBuilder,
  RequestForgeModule,
  TokenManager,
} from 'nestjs-request-forge';

// In the module: per client, next to refreshSkew.
export const ordersModule = RequestForgeModule.forRoot({
  clients: {
    orders: {
      baseUrl: 'https://orders.example.com',
      failureBackoff: { initial: 1_000, max: 30_000 }, // the default
      auth: {
        type: 'client-credentials',
        tokenUrl: 'https://auth.example.com/oauth/token',
        clientId: 'orders-service',
        clientSecret: process.env.ORDERS_CLIENT_SECRET ?? '',
      },
    },
  },
});

// In code: a TokenManager option.
const tokenManager = new TokenManager(
  new ClientCredentialsTokenProvider({
    tokenUrl: 'https://auth.example.com/oauth/token',
    clientId: 'orders-service',
    clientSecret: process.env.ORDERS_CLIENT_SECRET ?? '',
    serviceName: 'orders',
  }),
  undefined,
  { failureBackoff: { initial: 2_000, max: 60_000 } }, // quieter still
);
const client = new ForgeClient(
  new HttpClientConfigBuilder('orders')
    .withBaseUrl('https://orders.example.com')
    .withTokenAuth(tokenManager)
    .build(),
);

export async function listOrders(): Promise<unknown> {
  try {
    return (await lastValueFrom(client.get('/orders'))).data;
  } catch (error) {
    if (error instanceof AuthenticationException && error.error === 'invalid_client') {
      // The secret was rotated. Nothing was sent to the API; the IdP is asked again only after
      // the backoff (the message says when), so this is cheap to hit on every call.
    }
    throw error;
  }
}

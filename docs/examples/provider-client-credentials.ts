import { ClientCredentialsTokenProvider, RequestForgeModule } from 'nestjs-request-forge';

// RFC 6749 §4.4. authMethod 'header' = HTTP Basic (client_secret_basic), 'body' = in the form.
export const provider = new ClientCredentialsTokenProvider({
  tokenUrl: 'https://auth.example.com/oauth/token',
  clientId: 'orders-service',
  clientSecret: process.env.ORDERS_CLIENT_SECRET ?? '',
  serviceName: 'orders',
  scope: 'orders:read',
  authMethod: 'header',
  audience: 'https://api.example.com',
  extraParams: { resource: 'https://api.example.com' },
});

// The same in the module: the client's name is the service name.
export const OrdersModule = RequestForgeModule.forRoot({
  clients: {
    orders: {
      baseUrl: 'https://api.example.com',
      auth: {
        type: 'client-credentials',
        tokenUrl: 'https://auth.example.com/oauth/token',
        clientId: 'orders-service',
        clientSecret: process.env.ORDERS_CLIENT_SECRET ?? '',
        scope: 'orders:read',
        authMethod: 'header',
      },
      refreshSkew: 30_000,
    },
  },
});

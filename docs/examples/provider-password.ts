import { PasswordGrantTokenProvider, RequestForgeModule } from 'nestjs-request-forge';

// RFC 6749 §4.3. Renews with the refresh token when it has one; falls back to the password
// grant when the server refuses the refresh token.
export const provider = new PasswordGrantTokenProvider({
  tokenUrl: 'https://auth.example.com/oauth/token',
  clientId: 'mobile-backend',
  clientSecret: process.env.MOBILE_CLIENT_SECRET, // absent for a public client
  username: 'integration@example.com',
  password: process.env.INTEGRATION_PASSWORD ?? '',
  serviceName: 'crm',
  scope: 'contacts',
});

export const CrmModule = RequestForgeModule.forRoot({
  clients: {
    crm: {
      baseUrl: 'https://crm.example.com/api',
      auth: {
        type: 'password',
        tokenUrl: 'https://auth.example.com/oauth/token',
        clientId: 'mobile-backend',
        username: 'integration@example.com',
        password: process.env.INTEGRATION_PASSWORD ?? '',
      },
    },
  },
});

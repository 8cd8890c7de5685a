import { readFileSync } from 'node:fs';
import { RequestForgeModule } from 'nestjs-request-forge';

// RFC 9449 DPoP: tokens bound to a key of this client. Every token request and every API request
// carries a fresh proof; the API gets `Authorization: DPoP <token>` plus `DPoP: <proof>`.
export const PaymentsModule = RequestForgeModule.forRoot({
  clients: {
    // A key pair made once at bootstrap (ES256 by default; also ES384, ES512, PS256, RS256, EdDSA).
    // With shared token storage each process stores its own token: the key's thumbprint is
    // part of the storage key.
    payments: {
      baseUrl: 'https://payments.example.com/api',
      auth: {
        type: 'client-credentials',
        tokenUrl: 'https://auth.example.com/oauth/token',
        clientId: 'payments-service',
        clientSecret: process.env.PAYMENTS_CLIENT_SECRET ?? '',
        dpop: { algorithm: 'ES256' },
      },
    },
    // The same key in every process (a PEM or a private JWK, e.g. from a secret store): with
    // storage 'cache' all processes share one token, as they do without DPoP.
    ledger: {
      baseUrl: 'https://ledger.example.com/api',
      storage: 'cache',
      auth: {
        type: 'password',
        tokenUrl: 'https://auth.example.com/oauth/token',
        clientId: 'ledger-backend',
        username: 'integration@example.com',
        password: process.env.LEDGER_PASSWORD ?? '',
        dpop: { privateKey: readFileSync('/run/secrets/ledger-dpop.pem', 'utf8') },
      },
    },
  },
});

import { readFileSync } from 'node:fs';
import { RequestForgeModule } from 'nestjs-request-forge';

const secret = (name: string) => readFileSync(`/run/secrets/${name}`, 'utf8');

export const PartnersModule = RequestForgeModule.forRoot({
  clients: {
    // client_secret_jwt: an HS256 assertion over the secret (at least 32 bytes); the secret
    // itself is never sent.
    ledger: {
      baseUrl: 'https://ledger.example.com/api',
      auth: {
        type: 'client-credentials',
        tokenUrl: 'https://auth.example.com/oauth/token',
        clientId: 'ledger-sync',
        clientSecret: secret('ledger-client-secret'),
        authMethod: 'client_secret_jwt',
      },
    },
    // private_key_jwt: an assertion signed with your key (PEM or JWK). RSA → RS256, EC P-256 →
    // ES256 (P-384, P-521 → ES384, ES512), Ed25519 → EdDSA; ask for PS256 with `algorithm`.
    // keyId is the JWS `kid`.
    crm: {
      baseUrl: 'https://crm.example.com/api',
      auth: {
        type: 'client-credentials',
        tokenUrl: 'https://example.okta.com/oauth2/default/v1/token',
        clientId: '0oa1b2c3d4e5f6g7h8i9',
        scope: 'crm.read',
        authMethod: 'private_key_jwt',
        privateKey: secret('crm-key.pem'),
        algorithm: 'PS256',
        keyId: 'crm-2026',
      },
    },
    // tls_client_auth (RFC 8705): the client certificate authenticates at the token endpoint,
    // and the client presents it to the API too, which certificate-bound tokens need.
    payments: {
      baseUrl: 'https://mtls.bank.example.com/payments',
      auth: {
        type: 'client-credentials',
        tokenUrl: 'https://mtls.bank.example.com/oauth/token',
        clientId: 'payments-service',
        scope: 'payments',
        authMethod: 'tls_client_auth',
        clientCertificate: {
          cert: secret('payments.crt'),
          key: secret('payments.key'),
          passphrase: process.env.PAYMENTS_KEY_PASSPHRASE,
          ca: secret('bank-ca.pem'), // only for a private CA; replaces Node's default CAs
        },
      },
    },
  },
});

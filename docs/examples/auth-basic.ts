import { HttpClientConfigBuilder, RequestForgeModule } from 'nestjs-request-forge';

// Authorization: Basic base64(username:password)
export const legacyConfig = new HttpClientConfigBuilder()
  .withBaseUrl('https://legacy.example.com')
  .withBasicAuth('svc-orders', process.env.LEGACY_PASSWORD ?? '')
  .build();

export const LegacyModule = RequestForgeModule.forRoot({
  clients: {
    legacy: {
      baseUrl: 'https://legacy.example.com',
      auth: { type: 'basic', username: 'svc-orders', password: process.env.LEGACY_PASSWORD ?? '' },
    },
  },
});

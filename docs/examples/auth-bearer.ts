import { HttpClientConfigBuilder, RequestForgeModule } from 'nestjs-request-forge';

// Without Nest: the builder.
export const reportsConfig = new HttpClientConfigBuilder()
  .withBaseUrl('https://reports.example.com/api')
  .withBearerToken(process.env.REPORTS_TOKEN ?? '')
  .build();

// In the module: plain options.
export const ReportsModule = RequestForgeModule.forRoot({
  clients: {
    reports: {
      baseUrl: 'https://reports.example.com/api',
      auth: { type: 'bearer', token: process.env.REPORTS_TOKEN ?? '' },
    },
  },
});

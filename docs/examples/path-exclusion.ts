import { RequestForgeModule } from 'nestjs-request-forge';

// No credential is sent to these paths (matched without the query string, after normalizing).
export const CatalogModule = RequestForgeModule.forRoot({
  clients: {
    catalog: {
      baseUrl: 'https://catalog.example.com/api',
      auth: { type: 'bearer', token: process.env.CATALOG_TOKEN ?? '' },
      excludedPaths: ['/health', '/version'], // exact
      excludedPathPatterns: [
        '/public/*', // one segment: /public/logo.png, not /public/img/logo.png
        '/docs/**', // any depth
        '*/status', // no leading '/': /v1/status, not /a/b/status
      ],
    },
  },
});

import {
  correlationIdHook,
  RateLimitInfo,
  rateLimitHook,
  RequestForgeModule,
} from 'nestjs-request-forge';

export const PartnersModule = RequestForgeModule.forRoot({
  clients: {
    partners: {
      baseUrl: 'https://partners.example.com',
      hooks: [
        correlationIdHook('X-Request-ID'), // default header: X-Correlation-ID
        rateLimitHook(), // X-RateLimit-* into context.metadata.rateLimit
        {
          afterResponse: [
            (_response, context) => {
              const limit = context.metadata.rateLimit as RateLimitInfo | undefined;
              if (limit?.remaining === 0) console.warn('partners: rate limit reached');
            },
          ],
        },
      ],
      logging: { logHeaders: true, logBody: false, sensitiveKeys: ['x-partner-session'] },
    },
  },
});

import { HttpClientConfigBuilder } from 'nestjs-request-forge';

export const config = new HttpClientConfigBuilder()
  .withBaseUrl('https://api.example.com')
  .withHooks({
    beforeRequest: [
      (config, context) => ({
        ...config,
        headers: { ...config.headers, 'X-Attempt': String(context.attempt) },
      }),
    ],
    afterResponse: [
      (response, context) => {
        context.metadata.receivedAt = Date.now(); // shared by the hooks of one call
      },
    ],
    onError: [
      (error, context) => {
        console.warn(`${context.clientName} #${context.requestId} failed: ${String(error)}`);
      },
    ],
  })
  .build();

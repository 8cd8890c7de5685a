import { ConditionalAuthRetryStrategy } from 'nestjs-request-forge';

export const onlyExpired = new ConditionalAuthRetryStrategy({
  shouldRetry: (response) => (response.data as { error?: string })?.error === 'token_expired',
});

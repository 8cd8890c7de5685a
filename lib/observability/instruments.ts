import type { Meter, MeterProvider } from '@opentelemetry/api';
import { OtelApiModule } from './otel-api';

/** Meter and tracer name (DESIGN "Observability"). */
export const INSTRUMENTATION_NAME = 'nestjs-request-forge';

export type Instruments = ReturnType<typeof createInstruments>;

/** Seconds: from a fast fetch up to a provider's worst case (attempts × timeout). */
const FETCH_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

let built: { provider: MeterProvider; instruments: Instruments } | undefined;

/**
 * The instruments of the global MeterProvider as it is now: the metrics API has no proxy provider,
 * so instruments from the no-op default are made again once the app registers its own.
 */
export function instrumentsOf(api: OtelApiModule): Instruments {
  const provider = api.metrics.getMeterProvider();
  if (built?.provider === provider) return built.instruments;
  const instruments = createInstruments(provider.getMeter(INSTRUMENTATION_NAME));
  built = { provider, instruments };
  return instruments;
}

function createInstruments(meter: Meter) {
  return {
    tokenRequests: meter.createCounter('request_forge.token.requests', {
      description: 'Requests to a token endpoint or pipeline step, by outcome',
    }),
    tokenCache: meter.createCounter('request_forge.token.cache', {
      description: 'getToken() answers: hit, miss (started the fetch), coalesced, stale',
    }),
    tokenFetchDuration: meter.createHistogram('request_forge.token.fetch.duration', {
      description: 'Duration of a token fetch (a grant with its retries, or a pipeline step)',
      unit: 's',
      // The SDK's default boundaries (0 to 10_000) suit milliseconds, not seconds.
      advice: { explicitBucketBoundaries: FETCH_DURATION_BUCKETS },
    }),
    authRetries: meter.createCounter('request_forge.auth.retries', {
      description: '401s answered by invalidating the token and retrying',
    }),
    requestRetries: meter.createCounter('request_forge.request.retries', {
      description: 'Retries of transient request failures',
    }),
    circuitTransitions: meter.createCounter('request_forge.circuit.transitions', {
      description: 'Circuit breaker transitions, by the state entered',
    }),
  };
}

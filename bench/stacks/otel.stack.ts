import * as otel from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { overrideOtelApi } from '../../lib/observability/otel-api';
import {
  createForgeClientStack,
  ForgeClientStack,
  ForgeClientStackOptions,
} from './forge-client.stack';

/** How the OpenTelemetry API is there for a ForgeClient stack. */
export type OtelSetup = 'absent' | 'noop' | 'sdk';

const LABELS: Record<OtelSetup, string> = {
  absent: 'ForgeClient, same, without @opentelemetry/api',
  noop: 'ForgeClient, token + retry + breaker (OTel API, no-op provider)',
  sdk: 'ForgeClient, same, OTel SDK MeterProvider recording',
};

/**
 * The ForgeClient stack with the OTel API absent (as if not installed), installed with the no-op
 * default provider, or with an SDK MeterProvider (in-memory reader, collected only at the end),
 * switched per round by `activate()`: the providers are process-wide.
 */
export function createOtelForgeStack(
  setup: OtelSetup,
  options: ForgeClientStackOptions,
): ForgeClientStack {
  const stack = createForgeClientStack(options);
  const provider =
    setup === 'sdk'
      ? new MeterProvider({
          readers: [
            new PeriodicExportingMetricReader({
              exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
              exportIntervalMillis: 3_600_000,
            }),
          ],
        })
      : undefined;
  return {
    ...stack,
    // The transport and static-auth variants keep their own label; they run on the no-op default.
    label: options.transport || options.auth ? stack.label : LABELS[setup],
    activate: () => {
      otel.metrics.disable();
      overrideOtelApi(setup === 'absent' ? null : otel);
      if (provider) otel.metrics.setGlobalMeterProvider(provider);
    },
    close: async () => {
      await stack.close();
      await provider?.shutdown();
      otel.metrics.disable();
      overrideOtelApi(undefined);
    },
  };
}

import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';

/**
 * What an app gets from the library's OpenTelemetry instruments: a MeterProvider registered
 * before the clients run (here with an in-memory reader) and read at the end of the run.
 */
export class SampleMetrics {
  private readonly exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  private readonly reader = new PeriodicExportingMetricReader({
    exporter: this.exporter,
    exportIntervalMillis: 3_600_000,
  });
  private readonly provider = new MeterProvider({ readers: [this.reader] });

  static register(): SampleMetrics {
    const sampleMetrics = new SampleMetrics();
    metrics.setGlobalMeterProvider(sampleMetrics.provider);
    return sampleMetrics;
  }

  /** One line per data point, e.g. `request_forge.token.cache{client=service-a,result=hit} 12`. */
  async lines(): Promise<string[]> {
    await this.reader.forceFlush();
    const lines = ['', 'metrics recorded (OpenTelemetry, in-memory reader):'];
    for (const scope of this.exporter.getMetrics().at(-1)?.scopeMetrics ?? []) {
      for (const metric of scope.metrics) {
        for (const point of metric.dataPoints) {
          const labels = Object.entries(point.attributes)
            .map(([key, value]) => `${key.replace('request_forge.', '')}=${String(value)}`)
            .join(',');
          const value =
            metric.dataPointType === DataPointType.HISTOGRAM
              ? histogramText(point.value as { count: number; sum?: number })
              : String(point.value);
          lines.push(`  ${metric.descriptor.name}{${labels}} ${value}`);
        }
      }
    }
    return lines;
  }

  async shutdown(): Promise<void> {
    await this.provider.shutdown();
  }
}

function histogramText(value: { count: number; sum?: number }): string {
  return `count=${value.count} sum=${(value.sum ?? 0).toFixed(3)}s`;
}

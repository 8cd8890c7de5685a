import { Attributes, metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** One recorded data point: a counter's sum, or a histogram's count. */
export interface RecordedPoint {
  name: string;
  attributes: Attributes;
  value: number;
}

/**
 * The OTel SDK with in-memory exporters, registered as the global meter and tracer providers of
 * this test file (jest gives each file its own globals).
 */
export class OtelRecorder {
  private readonly metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  private readonly reader = new PeriodicExportingMetricReader({
    exporter: this.metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  private readonly spanExporter = new InMemorySpanExporter();
  private readonly meterProvider = new MeterProvider({ readers: [this.reader] });
  private readonly tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(this.spanExporter)],
  });

  static register(): OtelRecorder {
    const recorder = new OtelRecorder();
    metrics.setGlobalMeterProvider(recorder.meterProvider);
    trace.setGlobalTracerProvider(recorder.tracerProvider);
    return recorder;
  }

  /** Every data point recorded so far (cumulative), optionally of one instrument. */
  async points(name?: string): Promise<RecordedPoint[]> {
    await this.reader.forceFlush();
    const last = this.metricExporter.getMetrics().at(-1);
    const points: RecordedPoint[] = [];
    for (const scope of last?.scopeMetrics ?? []) {
      for (const metric of scope.metrics) {
        if (name !== undefined && metric.descriptor.name !== name) continue;
        for (const point of metric.dataPoints) {
          const value =
            metric.dataPointType === DataPointType.HISTOGRAM
              ? (point.value as { count: number }).count
              : (point.value as number);
          points.push({ name: metric.descriptor.name, attributes: point.attributes, value });
        }
      }
    }
    return points;
  }

  /** The sum of an instrument's points whose attributes include `match`. */
  async sum(name: string, match: Attributes): Promise<number> {
    const points = await this.points(name);
    return points
      .filter((p) => Object.entries(match).every(([key, value]) => p.attributes[key] === value))
      .reduce((total, p) => total + p.value, 0);
  }

  spans(): ReadableSpan[] {
    return this.spanExporter.getFinishedSpans();
  }

  async shutdown(): Promise<void> {
    await this.meterProvider.shutdown();
    await this.tracerProvider.shutdown();
    metrics.disable();
    trace.disable();
  }
}

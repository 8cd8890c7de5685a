import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

// In main.ts, before NestFactory.create(): the library records on the global MeterProvider.
// The exporter serves the Prometheus text format at http://0.0.0.0:9464/metrics.
const exporter = new PrometheusExporter({ port: 9464 });
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));

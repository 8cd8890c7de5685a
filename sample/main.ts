import 'reflect-metadata';
import { runSample, serveEmbedded } from './bootstrap';
import { formatReport, formatServerStats } from './demo/sample-report';
import { SampleMetrics } from './demo/sample-metrics';

async function main(argv: string[]): Promise<void> {
  const serveAt = argv.indexOf('--serve');
  if (serveAt >= 0) {
    const envFile = argv[serveAt + 1] ?? 'sample-servers.env';
    const stats = await serveEmbedded(envFile, (control) => {
      console.log(`embedded servers up (${control}); environment written to ${envFile}`);
      console.log('stop with Ctrl-C / SIGTERM to print what they counted');
    });
    console.log(formatServerStats(stats).join('\n'));
    return;
  }
  const started = Date.now();
  const sampleMetrics = SampleMetrics.register();
  const report = await runSample();
  console.log(`sample process ${process.pid}`);
  console.log(formatReport(report).join('\n'));
  console.log((await sampleMetrics.lines()).join('\n'));
  await sampleMetrics.shutdown();
  console.log(`\ndone in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

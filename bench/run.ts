import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseBenchOptions } from './bench-options';
import { BenchResults } from './bench-results';
import { describeEnvironment } from './environment';
import { repoRoot } from './paths';
import { renderReport } from './report';
import { measureCrossProcess } from './scenarios/cross-process';
import { measureEncryption } from './scenarios/encryption';
import { measureHerd } from './scenarios/herd';
import { measureMemory } from './scenarios/memory';
import { measureOverhead } from './scenarios/overhead';
import { measureStorm } from './scenarios/storm';
import { measureWrongSecret } from './scenarios/wrong-secret';
import { BenchServer } from './servers/bench-server';

/** `npm run bench [-- --smoke] [-- --out-dir <dir>]`: runs every scenario and writes the report. */
async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2), repoRoot());
  const { sizes } = options;
  const environment = describeEnvironment();
  const began = Date.now();
  const server = await BenchServer.start();
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const at = Date.now();
    const result = await run();
    console.log(`${name}: ${((Date.now() - at) / 1000).toFixed(1)} s`);
    return result;
  };
  try {
    const overhead = await step('overhead', () => measureOverhead(server, sizes));
    if (options.only === 'overhead') {
      for (const row of overhead) console.log(`${row.ratio.toFixed(2)}×  ${row.label}`);
      return;
    }
    const herd = await step('herd', () => measureHerd(server, sizes));
    const storm = await step('401 storm', () => measureStorm(server, sizes));
    const crossProcess = await step('cross-process', () => measureCrossProcess(server, sizes));
    if (crossProcess.skipped) console.log(`cross-process skipped: ${crossProcess.reason}`);
    const memory = await step('memory', () => measureMemory(server, sizes));
    const encryption = await step('encryption', () => measureEncryption(sizes));
    const wrongSecret = await step('wrong secret', () => measureWrongSecret(server, sizes));
    const results: BenchResults = {
      smoke: options.smoke,
      environment,
      sizes,
      overhead,
      herd,
      storm,
      crossProcess,
      memory,
      encryption,
      wrongSecret,
      durationSeconds: (Date.now() - began) / 1000,
    };
    mkdirSync(dirname(options.markdownPath), { recursive: true });
    writeFileSync(options.markdownPath, renderReport(results));
    if (options.jsonPath) writeFileSync(options.jsonPath, JSON.stringify(results, null, 2));
    console.log(
      `wrote ${options.markdownPath}${options.jsonPath ? ` and ${options.jsonPath}` : ''}`,
    );
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

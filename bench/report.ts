import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchResults } from './bench-results';
import { repoRoot } from './paths';
import { SOCKETS_PER_STACK } from './stacks/stack';
import { checkTargets } from './targets';

const n = (value: number) => value.toLocaleString('en-US');
const ms = (value: number) => `${n(Math.round(value))} ms`;
const tokens = (count: number, failures: number) =>
  `${n(count)} token request${count === 1 ? '' : 's'}${failures ? ` (${n(failures)} calls failed)` : ''}`;

/** BENCHMARKS.md: the table, the environment, the targets, and the analysis in bench/NOTES.md. */
export function renderReport(results: BenchResults): string {
  const { environment: env, sizes } = results;
  const lines: string[] = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\`${results.smoke ? ' **(smoke run: tiny counts, not results)**' : ''}; do not edit by hand.`,
    'Absolute times depend on the machine and its load; compare the ratios, measured in the same run.',
    '',
    `- Date: ${env.date}`,
    `- Node: ${env.node}`,
    `- CPU: ${env.cpuModel}, ${env.cores} cores (1-min load average at start: ${env.loadAverage})`,
    `- Duration: ${Math.round(results.durationSeconds)} s`,
    '',
    '## Results',
    '',
    '| Scenario | Stack | Result |',
    '| --- | --- | --- |',
  ];
  const overheadName = `Overhead: ${n(sizes.overheadRequests)} GETs, ${sizes.overheadConcurrency} in flight, median of ${sizes.overheadRounds}`;
  for (const row of results.overhead) {
    const failed = row.failures ? `, ${n(row.failures)} failed` : '';
    lines.push(
      `| ${overheadName} | ${row.label} | **${row.ratio.toFixed(2)}×** (${ms(row.medianMs)}, ${n(Math.round(row.requestsPerSecond))} req/s${failed}) |`,
    );
  }
  const herdName = `Herd: ${n(sizes.herdCalls)} concurrent calls, cold cache`;
  const stormName = `401 storm: ${n(sizes.stormCalls)} concurrent calls, revoked token`;
  for (const [name, row] of [
    [herdName, results.herd],
    [stormName, results.storm],
  ] as const) {
    lines.push(
      `| ${name} | ForgeClient | **${tokens(row.forgeClient.tokenRequests, row.forgeClient.failures)}** |`,
    );
    lines.push(
      `| ${name} | axios + axios-auth-refresh (\`deduplicateRefresh: false\`) | **${tokens(row.axiosAuthRefresh.tokenRequests, row.axiosAuthRefresh.failures)}** |`,
    );
    lines.push(
      `| ${name} | axios + axios-auth-refresh, its defaults | **${tokens(row.axiosAuthRefreshDefaults.tokenRequests, row.axiosAuthRefreshDefaults.failures)}** |`,
    );
  }
  const crossName = `Cross-process: ${sizes.processes} processes × ${n(sizes.callsPerProcess)} calls, shared Redis`;
  const cross = results.crossProcess;
  if (cross.skipped) {
    lines.push(`| ${crossName} | ForgeClient | skipped: ${cross.reason} |`);
  } else {
    lines.push(
      `| ${crossName} | ForgeClient, no lock | **${tokens(cross.withoutLock.tokenRequests, cross.withoutLock.failures)}** |`,
    );
    lines.push(
      `| ${crossName} | ForgeClient, RedisTokenLock | **${tokens(cross.withLock.tokenRequests, cross.withLock.failures)}** |`,
    );
  }
  for (const memory of results.memory) {
    lines.push(
      `| Memory: ${n(memory.requests)} requests | ForgeClient ${memory.transport}, token + retry + breaker | **${signed(memory.growthMb)} MB** heap (${memory.startMb.toFixed(1)} → ${memory.endMb.toFixed(1)} MB after forced GC${memory.failures ? `, ${n(memory.failures)} failed` : ''}) |`,
    );
  }

  const enc = results.encryption;
  const us = (value: number) => `${value.toFixed(1)} µs`;
  lines.push(
    `| Encryption at rest: ${n(enc.reads)} token reads, in memory, median of ${enc.rounds} | EncryptedTokenStorage vs InMemoryTokenStorage | **+${us(enc.overheadReadUs)} per token read** (${us(enc.plainReadUs)} → ${us(enc.encryptedReadUs)}; ${us(enc.encryptedWriteUs)} per token write) |`,
  );

  const wrong = results.wrongSecret;
  const wrongName = `IdP requests while the client secret is wrong: ${n(wrong.callers)} callers looping for ${wrong.seconds} s, \`400 invalid_client\``;
  for (const [label, row] of [
    ['ForgeClient, no failure backoff (`failureBackoff: { initial: 0 }`)', wrong.withoutBackoff],
    ['ForgeClient, `failureBackoff` default `{ initial: 1000, max: 30000 }`', wrong.withBackoff],
  ] as const) {
    const perSecond = (row.tokenRequests / wrong.seconds).toFixed(1);
    const leaked = row.sentWithoutToken ? `, ${n(row.sentWithoutToken)} sent without a token` : '';
    lines.push(
      `| ${wrongName} | ${label} | **${tokens(row.tokenRequests, 0)}** (${perSecond}/s; ${n(row.calls)} calls, all refused${leaked}) |`,
    );
  }

  lines.push('', '## Targets', '', '| Target | Measured | Met |', '| --- | --- | --- |');
  const checks = checkTargets(results);
  for (const check of checks) {
    const met = check.met === undefined ? 'not run' : check.met ? 'met' : '**missed**';
    lines.push(`| ${check.target} | ${check.measured} | ${met} |`);
  }
  const missed = checks.filter((check) => check.met === false);
  lines.push(
    '',
    missed.length
      ? 'Missed, by how much (the why is in the notes below):'
      : 'Every target that ran was met.',
  );
  for (const check of missed) lines.push(`- ${check.target}: ${check.shortfall}.`);

  lines.push(
    '',
    '## Overhead rounds (ms, in run order per round)',
    '',
    '| Stack | Rounds | Median |',
    '| --- | --- | --- |',
  );
  for (const row of results.overhead) {
    lines.push(
      `| ${row.label} | ${row.roundsMs.map((t) => n(Math.round(t))).join(' / ')} | ${ms(row.medianMs)} |`,
    );
  }

  lines.push('', ...method(results));
  const notes = join(repoRoot(), 'bench', 'NOTES.md');
  if (existsSync(notes)) lines.push('', readFileSync(notes, 'utf8').trim());
  return `${lines.join('\n')}\n`;
}

function method(results: BenchResults): string[] {
  const { sizes } = results;
  return [
    '## How it is measured',
    '',
    '- Compiled JS, as users run it: `npm run bench` builds `lib/` and `bench/` with `tsc -p bench/tsconfig.json` into `bench/.out/build` (gitignored) and runs `node --expose-gc` on it; forked processes run the compiled files too.',
    '- One loopback server process (`bench/servers/bench-server.child.ts`, `node:http`, keep-alive) serves the API and a client-credentials token endpoint (50 ms per token, like a real authorization server) and counts token requests. It runs in its own process so its CPU time is not charged to the stacks.',
    `- Keep-alive everywhere: each axios-based stack has its own \`new http.Agent({ keepAlive: true, maxSockets: ${SOCKETS_PER_STACK} })\`; undici uses \`new Pool(origin, { connections: ${SOCKETS_PER_STACK} })\` (keep-alive by default). Token requests use axios' default agent (Node 20's global agent, keep-alive).`,
    '- Stacks: (1) `HttpService` from `@nestjs/axios` with a static `Authorization` header; (2) `ForgeClient` with `withRetry()` and `withCircuitBreaker()`, on each transport (`axios`: an HttpService on the same keep-alive agent settings as (1); `undici`: the client’s own undici Agent), with `withTokenAuth` (a `TokenManager` over `ClientCredentialsTokenProvider`, in-memory storage) and with a static bearer token; (3) axios with a request interceptor adding the current token, `axios-auth-refresh` and `axios-retry` (3 retries); (4) undici `Pool.request` with a static header, the floor. Every stack parses the JSON body.',
    `- Overhead: tokens cached first; ${n(sizes.warmUpRequests)} warm-up GETs per stack; then ${sizes.overheadRounds} rounds, each running every stack once in a rotating order, so a noisy neighbour slows all stacks alike. The ratio is the stack's median time over the HttpService median. The ForgeClient rows with token auth on the axios transport differ only in OpenTelemetry: \`@opentelemetry/api\` treated as not installed, installed with its no-op default provider (what an app without an SDK gets, and what every other ForgeClient row runs with), and an SDK \`MeterProvider\` recording every instrument (in-memory reader, collected at the end).`,
    '- Herd: a new client with an empty cache; all calls start at once. axios-auth-refresh learns it needs a token from the first 401s (its intended use); ForgeClient fetches before sending.',
    '- axios-auth-refresh runs with `deduplicateRefresh: false`: with its default (`true`) a 401 that arrives while a refresh is running is rejected, not retried ([Flyrell/axios-auth-refresh#307](https://github.com/Flyrell/axios-auth-refresh/issues/307)), so concurrent calls fail; the row "its defaults" shows that. With `false` the 401s that arrive during a refresh wait for it, and those arriving after it start another one.',
    '- 401 storm: each stack fetches a token, the server then revokes it; all calls start at once, get a 401 and must succeed on a new token.',
    '- Cross-process: forked processes each build a ForgeClient on `CacheManagerTokenStorage` over `createCache({ stores: [createKeyv(url)] })` (a fresh Keyv namespace per run), with and without `RedisTokenLock`, connect to Redis, then start together on a cold cache.',
    `- Encryption at rest: \`EncryptedTokenStorage\` (AES-256-GCM) and plain, both over \`InMemoryTokenStorage\` so only the crypto counts: ${n(sizes.encryptionReads)} sequential \`get\`s of a typical token (a ~900-character JWT, refresh token, scopes) per storage, ${sizes.overheadRounds} alternating rounds, the median per read. A read happens per token fetch, per storage poll during a peer's fetch and at start-up, never per request (the TokenManager holds its token).`,
    `- Memory: ${n(sizes.warmUpRequests)} warm-up requests, then \`gc()\` (\`node --expose-gc\`) and \`heapUsed\` before and after ${n(sizes.memoryRequests)} requests at ${sizes.overheadConcurrency} in flight.`,
  ];
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(2)}`;
}

import { SampleServerStats } from '../embedded/sample-api';

/** One thing the sample did to a service, and what the servers counted meanwhile. */
export interface ScenarioResult {
  name: string;
  description: string;
  calls: number;
  /** Calls that ended in a 2xx for the caller (after any 401 recovery). */
  succeeded: number;
  /** 401s the API answered (each recovered by the client). Undefined without server counts. */
  unauthorized?: number;
  /** Token requests the auth servers received. Undefined without server counts. */
  tokenRequests?: number;
  /** Pipelines: token requests per step. */
  tokenRequestsPerStep?: Record<string, number>;
}

export interface ServiceReport {
  service: string;
  auth: string;
  scenarios: ScenarioResult[];
}

export interface SampleReport {
  storage: 'memory' | 'redis';
  services: ServiceReport[];
}

function total(results: ScenarioResult[], key: 'calls' | 'succeeded'): number {
  return results.reduce((sum, result) => sum + result[key], 0);
}

function counted(value: number | undefined, noun: string): string {
  return value === undefined ? `${noun}s: n/a` : `${value} ${noun}${value === 1 ? '' : 's'}`;
}

function sumOf(
  results: ScenarioResult[],
  key: 'tokenRequests' | 'unauthorized',
): number | undefined {
  if (results.some((r) => r[key] === undefined)) return undefined;
  return results.reduce((sum, result) => sum + (result[key] ?? 0), 0);
}

/** The report as the lines `npm run sample` prints. */
export function formatReport(report: SampleReport): string[] {
  const lines = [`token storage: ${report.storage}`];
  for (const service of report.services) {
    lines.push('', `${service.service} (${service.auth})`);
    for (const s of service.scenarios) {
      const perStep = s.tokenRequestsPerStep
        ? ` (${Object.entries(s.tokenRequestsPerStep)
            .map(([step, n]) => `${step} ${n}`)
            .join(', ')})`
        : '';
      lines.push(
        `  ${s.name.padEnd(10)} ${s.calls} call(s), ${s.succeeded} ok, ` +
          `${counted(s.unauthorized, '401')}, ${counted(s.tokenRequests, 'token request')}` +
          `${perStep} - ${s.description}`,
      );
    }
    const { scenarios } = service;
    lines.push(
      `  ${'total'.padEnd(10)} ${total(scenarios, 'calls')} calls, ${total(scenarios, 'succeeded')} ok, ` +
        `${counted(sumOf(scenarios, 'unauthorized'), '401')}, ` +
        `${counted(sumOf(scenarios, 'tokenRequests'), 'token request')}`,
    );
  }
  return lines;
}

/** What the embedded servers counted over all the processes that used them. */
export function formatServerStats(stats: SampleServerStats): string[] {
  const { tokenRequests: t, api } = stats;
  const calls = (id: 'a' | 'b' | 'c') =>
    `service-${id} ${api[id].ok} ok / ${api[id].unauthorized} 401`;
  return [
    'servers counted (all processes):',
    `  service-a token requests: ${t.serviceA}`,
    `  service-c token requests: app_token ${t.serviceCAppToken}, user_token ${t.serviceCUserToken}`,
    `  API calls: ${calls('a')}, ${calls('b')}, ${calls('c')}`,
    `  /health: ${stats.health.requests} requests, ${stats.health.withCredential} with a credential`,
  ];
}

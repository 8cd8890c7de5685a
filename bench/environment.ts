import { cpus, loadavg } from 'node:os';

export interface BenchEnvironment {
  node: string;
  cpuModel: string;
  cores: number;
  /** 1-minute load average when the run started: other work on the machine skews absolute times. */
  loadAverage: number;
  date: string;
}

export function describeEnvironment(): BenchEnvironment {
  const processors = cpus();
  return {
    node: process.version,
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    loadAverage: Math.round(loadavg()[0] * 100) / 100,
    date: new Date().toISOString(),
  };
}

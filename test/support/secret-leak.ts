import { ConsoleLogger, Logger, LoggerService } from '@nestjs/common';
import { inspect } from 'node:util';

/** Captures everything Nest's Logger writes while a test runs. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(...args: unknown[]) {
    this.lines.push(args.map(String).join(' '));
  }
  error(...args: unknown[]) {
    this.log(...args);
  }
  warn(...args: unknown[]) {
    this.log(...args);
  }
  debug(...args: unknown[]) {
    this.log(...args);
  }
  verbose(...args: unknown[]) {
    this.log(...args);
  }
  fatal(...args: unknown[]) {
    this.log(...args);
  }

  static install(): CapturingLogger {
    const logger = new CapturingLogger();
    Logger.overrideLogger(logger);
    return logger;
  }

  static uninstall(): void {
    Logger.overrideLogger(new ConsoleLogger());
  }
}

/** Every way an error reaches a human: message, JSON, inspect (causes included) and logs. */
export function expectNoSecrets(
  error: unknown,
  secrets: readonly string[],
  logger?: CapturingLogger,
): void {
  const views = [
    error instanceof Error ? error.message : String(error),
    JSON.stringify(error),
    inspect(error, { depth: null }),
    ...(logger?.lines ?? []),
  ];
  for (const secret of secrets.filter((s) => s.length > 0)) {
    for (const view of views) {
      if (view.includes(secret)) {
        throw new Error(`a secret leaked into: ${view.slice(0, 200).replace(secret, '<SECRET>')}`);
      }
    }
  }
}

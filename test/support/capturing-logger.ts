import { ConsoleLogger, Logger, LoggerService } from '@nestjs/common';
import { expectNoSecrets, renderings } from './secrets';

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

/**
 * Every way an error reaches a human (message, stack, JSON, inspect with causes) and every line
 * logged through Nest's Logger: none may contain a secret.
 */
export function expectSecretsAbsent(
  error: unknown,
  secrets: readonly string[],
  logger?: CapturingLogger,
): void {
  expectNoSecrets(
    [...renderings(error), ...(logger?.lines ?? [])],
    secrets.filter((s) => s.length > 0),
  );
}

import { Logger, LoggerService } from '@nestjs/common';

export interface LogLine {
  level: 'log' | 'warn' | 'error' | 'debug' | 'verbose' | 'fatal';
  message: string;
  context?: string;
}

/** Nest's real `Logger` pointed at an array, so tests can count what the library logged. */
export class RecordingLogger implements LoggerService {
  readonly lines: LogLine[] = [];

  static install(): RecordingLogger {
    const logger = new RecordingLogger();
    Logger.overrideLogger(logger);
    return logger;
  }

  log(message: unknown, context?: string): void {
    this.record('log', message, context);
  }
  warn(message: unknown, context?: string): void {
    this.record('warn', message, context);
  }
  error(message: unknown, context?: string): void {
    this.record('error', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.record('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.record('verbose', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.record('fatal', message, context);
  }

  count(level: LogLine['level'], context?: string): number {
    return this.lines.filter((l) => l.level === level && (!context || l.context === context))
      .length;
  }

  clear(): void {
    this.lines.length = 0;
  }

  private record(level: LogLine['level'], message: unknown, context?: string): void {
    this.lines.push({ level, message: String(message), context });
  }
}

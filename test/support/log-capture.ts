import { ConsoleLogger, Logger, LoggerService } from '@nestjs/common';
import { inspect } from 'node:util';

export type LogLevel = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';

export interface LogLine {
  readonly level: LogLevel;
  /** The message and any extra arguments, non-strings rendered (JSON, or inspect for errors). */
  readonly message: string;
  /** The Nest logger context (`new Logger('Context')`), when there was one. */
  readonly context?: string;
}

/** Nest's real `Logger` pointed at an array, so tests can read and count what was logged. */
export class LogCapture implements LoggerService {
  readonly lines: LogLine[] = [];
  /** `util.inspect` of every raw argument, so secret checks see what JSON would hide. */
  private readonly inspected: string[] = [];

  static install(): LogCapture {
    const capture = new LogCapture();
    Logger.overrideLogger(capture);
    return capture;
  }

  static uninstall(): void {
    Logger.overrideLogger(new ConsoleLogger());
  }

  /** One `level message [context]` line per call. */
  get text(): string {
    return this.lines
      .map((l) => `${l.level} ${l.message}${l.context ? ` [${l.context}]` : ''}`)
      .join('\n');
  }

  get messages(): string[] {
    return this.lines.map((l) => l.message);
  }

  /** Everything captured, in every rendering a secret check must search. */
  get renderings(): string[] {
    return [this.text, ...this.inspected];
  }

  count(level: LogLevel, context?: string): number {
    return this.lines.filter((l) => l.level === level && (!context || l.context === context))
      .length;
  }

  clear(): void {
    this.lines.length = 0;
    this.inspected.length = 0;
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.add('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.add('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.add('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.add('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.add('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.add('fatal', message, rest);
  }

  private add(level: LogLevel, message: unknown, rest: unknown[]): void {
    // Nest appends the context as the last string argument (after `undefined` for error()).
    const last = rest.at(-1);
    const context = typeof last === 'string' ? last : undefined;
    const params = (context === undefined ? rest : rest.slice(0, -1)).filter(
      (p) => p !== undefined,
    );
    const args = [message, ...params];
    this.lines.push({ level, message: args.map(render).join(' '), context });
    this.inspected.push(...args.map((a) => inspect(a, { depth: null })));
  }
}

/**
 * A capture installed for the enclosing `describe` and emptied before each of its tests, so each
 * test reads only what it logged itself.
 */
export function useLogCapture(): LogCapture {
  const capture = new LogCapture();
  beforeAll(() => Logger.overrideLogger(capture));
  beforeEach(() => capture.clear());
  afterAll(() => LogCapture.uninstall());
  return capture;
}

function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return inspect(value, { depth: null });
  try {
    return JSON.stringify(value) ?? inspect(value);
  } catch {
    return inspect(value, { depth: null });
  }
}

import { ConsoleLogger, Logger, LoggerService } from '@nestjs/common';

/** Captures everything Nest's Logger prints, as one string per call. */
export class LogCapture implements LoggerService {
  readonly lines: { level: string; text: string }[] = [];

  static install(): LogCapture {
    const capture = new LogCapture();
    Logger.overrideLogger(capture);
    return capture;
  }

  static uninstall(): void {
    Logger.overrideLogger(new ConsoleLogger());
  }

  get text(): string {
    return this.lines.map((l) => `${l.level} ${l.text}`).join('\n');
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

  private add(level: string, message: unknown, rest: unknown[]): void {
    const render = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
    this.lines.push({ level, text: [message, ...rest].map(render).join(' ') });
  }
}

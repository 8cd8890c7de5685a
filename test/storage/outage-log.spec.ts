import { Logger } from '@nestjs/common';
import { DeadlineExceededError } from '../../lib/storage/deadline';
import { OutageLog, describeError } from '../../lib/storage/outage-log';
import { LogCapture } from '../support/log-capture';

class SocketClosedUnexpectedlyError extends Error {}

describe('OutageLog', () => {
  const logs = LogCapture.install();
  afterAll(() => LogCapture.uninstall());

  it('warns once per outage and logs the recovery once', () => {
    const outage = new OutageLog(new Logger('Test'), 'Store', 'falling back');
    outage.succeeded();
    for (let i = 0; i < 5; i++) outage.failed(new Error('boom'));
    outage.succeeded();
    outage.succeeded();
    outage.failed(new Error('boom'));
    expect(logs.lines.map((l) => l.level)).toEqual(['warn', 'log', 'warn']);
  });
});

describe('describeError', () => {
  it('names the error class and code, never the message', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(describeError(refused)).toBe('Error ECONNREFUSED');
    expect(describeError(new SocketClosedUnexpectedlyError('value: secret-token'))).toBe(
      'SocketClosedUnexpectedlyError',
    );
    expect(describeError('a string event')).toBe('Error');
  });

  it('keeps our own timeout message, which says what was slow', () => {
    expect(describeError(new DeadlineExceededError('cache get', 500))).toBe(
      'cache get took longer than 500 ms',
    );
  });
});

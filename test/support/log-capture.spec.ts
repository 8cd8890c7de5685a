import { Logger } from '@nestjs/common';
import { useLogCapture } from './log-capture';

describe('LogCapture', () => {
  const logs = useLogCapture();

  it('records level, message and the context Nest appends as the last argument', () => {
    new Logger('Probe').warn('careful');
    new Logger('Probe').error('broke');
    Logger.log('static');
    expect(logs.lines).toEqual([
      { level: 'warn', message: 'careful', context: 'Probe' },
      { level: 'error', message: 'broke', context: 'Probe' },
      { level: 'log', message: 'static', context: undefined },
    ]);
    expect(logs.text).toBe('warn careful [Probe]\nerror broke [Probe]\nlog static');
    expect(logs.count('warn')).toBe(1);
    expect(logs.count('warn', 'Probe')).toBe(1);
    expect(logs.count('warn', 'Other')).toBe(0);
  });

  it('renders non-string messages, and keeps what JSON hides for the secret checks', () => {
    const error = new Error('hidden-in-error');
    new Logger('Probe').debug({ nested: { value: 'in-json' } }, error);
    expect(logs.messages[0]).toContain('{"nested":{"value":"in-json"}}');
    expect(logs.messages[0]).toContain('hidden-in-error');
    expect(JSON.stringify(error)).not.toContain('hidden-in-error'); // control: JSON alone misses it
    expect(logs.renderings.join('\n')).toContain('hidden-in-error');
  });

  it('starts each test empty; clear() empties it', () => {
    expect(logs.lines).toEqual([]);
    Logger.verbose('something');
    logs.clear();
    expect(logs.lines).toEqual([]);
    expect(logs.renderings).toEqual(['']);
  });
});

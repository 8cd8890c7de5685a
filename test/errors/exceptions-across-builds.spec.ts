import { inspect } from 'node:util';
import {
  ConnectionException,
  HttpStatusException,
  RequestForgeException,
  TimeoutException,
} from '../../lib';

type Exceptions = typeof import('../../lib/errors/exceptions');

/**
 * A second copy of the exception classes, as an app gets when it loads both the CommonJS and the
 * ESM build (a CommonJS library next to ESM code): same code, other class objects.
 */
function otherBuild(): Exceptions {
  let copy: Exceptions | undefined;
  jest.isolateModules(() => {
    copy = jest.requireActual<Exceptions>('../../lib/errors/exceptions');
  });
  return copy as Exceptions;
}

describe('typed exceptions when both builds are loaded', () => {
  const other = otherBuild();
  const notFound = (Http: typeof HttpStatusException) =>
    new Http('GET https://api.example.test/x failed with status 404', {
      status: 404,
      response: { headers: {}, data: null },
    });

  it('are separate class objects, as the two builds make them', () => {
    expect(other.HttpStatusException).not.toBe(HttpStatusException);
  });

  it("match instanceof against either build's classes, by what they are", () => {
    const theirs = notFound(other.HttpStatusException);
    expect(theirs instanceof HttpStatusException).toBe(true);
    expect(theirs instanceof RequestForgeException).toBe(true);
    expect(theirs instanceof TimeoutException).toBe(false);
    expect(theirs instanceof ConnectionException).toBe(false);
    const ours = notFound(HttpStatusException);
    expect(ours instanceof other.HttpStatusException).toBe(true);
    expect(ours instanceof other.TimeoutException).toBe(false);
    expect(new other.TimeoutException('slow') instanceof TimeoutException).toBe(true);
  });

  it('match nothing else: plain errors and look-alikes without the mark', () => {
    const lookAlike = Object.assign(new Error('x'), { name: 'HttpStatusException', status: 404 });
    expect(lookAlike instanceof HttpStatusException).toBe(false);
    expect(new Error('x') instanceof RequestForgeException).toBe(false);
    const nothing: unknown = null;
    expect(nothing instanceof RequestForgeException).toBe(false);
  });

  it('keep the mark out of JSON and inspect', () => {
    const error = notFound(HttpStatusException);
    expect(Object.keys(error)).not.toContain('exception-classes');
    expect(JSON.stringify(error)).not.toContain('exception-classes');
    expect(inspect(error)).not.toContain('exception-classes');
  });
});

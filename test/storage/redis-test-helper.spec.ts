import {
  decideRedisSuite,
  describeRedis,
  redisAvailable,
  redisMissing,
  redisUrl,
} from '../support/redis';

describe('decideRedisSuite', () => {
  it('runs when Redis answers', () => {
    expect(decideRedisSuite(true, {})).toEqual({ action: 'run' });
    expect(decideRedisSuite(true, { FORGE_REQUIRE_REDIS: '1' })).toEqual({ action: 'run' });
  });

  it('skips with a message naming the URL and FORGE_REQUIRE_REDIS when Redis is optional', () => {
    const decision = decideRedisSuite(false, {}, redisMissing('redis://127.0.0.1:6390'));
    expect(decision.action).toBe('skip');
    expect(decision).toMatchObject({ message: expect.stringContaining('redis://127.0.0.1:6390') });
    expect(decision).toMatchObject({ message: expect.stringContaining('FORGE_REQUIRE_REDIS=1') });
    expect(decideRedisSuite(false, { FORGE_REQUIRE_REDIS: '0' }).action).toBe('skip');
  });

  it('fails when FORGE_REQUIRE_REDIS is set and Redis does not answer', () => {
    expect(decideRedisSuite(false, { FORGE_REQUIRE_REDIS: '1' }).action).toBe('fail');
  });

  it('never prints the password of a Redis URL', () => {
    const decision = decideRedisSuite(
      false,
      {},
      redisMissing('redis://user:s3cret@redis.internal:6379'),
    );
    expect(JSON.stringify(decision)).not.toContain('s3cret');
  });
});

describe('redisAvailable', () => {
  it('is false when nothing listens on the port', async () => {
    expect(await redisAvailable('redis://127.0.0.1:1', 500)).toBe(false);
  });
});

describeRedis('redisAvailable on the test Redis', () => {
  it('is true when Redis answers PING', async () => {
    expect(await redisAvailable(redisUrl())).toBe(true);
  });
});

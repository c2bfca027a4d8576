import type { AppConfig } from '@portcullis/config';
import { Clock } from '../platform/clock';
import { toRegistryError } from './registry-error';
import { clientKey, TokenRateLimit } from './token-rate-limit';

describe('clientKey', () => {
  it.each<[string, string[], 'same' | 'different']>([
    ['one IPv4 address', ['192.0.2.7', '192.0.2.7'], 'same'],
    ['two IPv4 addresses', ['192.0.2.7', '192.0.2.8'], 'different'],
    ['hostile: addresses rotated inside one IPv6 /64', ['2001:db8:1:2::1', '2001:db8:1:2:ffff:ffff:ffff:ffff'], 'same'],
    ['two IPv6 /64s', ['2001:db8:1:2::1', '2001:db8:1:3::1'], 'different'],
    ['hostile: an IPv4-mapped IPv6 address is its IPv4 address', ['::ffff:192.0.2.7', '192.0.2.7'], 'same'],
    ['hostile: the same address with another zone id', ['fe80::1%eth0', 'fe80::1%eth1'], 'same'],
    ['hostile: long text (a believed X-Forwarded-For) shares one key', ['x'.repeat(65), 'y'.repeat(5000)], 'same'],
    ['no address at all shares one key', ['', ''], 'same'],
    ['long text is not an address', ['x'.repeat(65), '192.0.2.7'], 'different'],
  ])('%s', (_name, [a, b], expected) => {
    expect(clientKey(a) === clientKey(b) ? 'same' : 'different').toBe(expected);
    expect(clientKey(a).length).toBeLessThanOrEqual(64);
  });

  it('gives a request without an address the same key as an empty one', () => {
    expect(clientKey(undefined)).toBe(clientKey(''));
  });
});

const configWith = (tokenPerMinute: number) => ({ rateLimit: { tokenPerMinute, sessionsPerMinute: 0 } }) as AppConfig;

/** headers records what the limit sets on a response. */
function response() {
  const headers: Record<string, number> = {};
  return { headers, setHeader: (name: string, value: number) => (headers[name] = value) };
}

describe('TokenRateLimit', () => {
  it('with rate_limit.token.per_minute = 0 lets everything through and reads nothing of the request', () => {
    const limit = new TokenRateLimit(configWith(0), new Clock());
    const req = {
      get ip(): string {
        throw new Error('the client address was worked out');
      },
    };
    const res = response();
    for (let i = 0; i < 10_000; i++) limit.check(req, res);
    expect(limit.active).toBe(false);
    expect(res.headers).toEqual({});
  });

  it("answers @nestjs/throttler's headers, then the registry's 429 with Retry-After-token; the clock moves it on", () => {
    const clock = new Clock();
    // At the start of a window, so no window starts (and frees anything) while the test runs.
    clock.advance(60_000 - (clock.now().getTime() % 60_000));
    const limit = new TokenRateLimit(configWith(2), clock);
    const req = { ip: '192.0.2.7' };
    const first = response();
    limit.check(req, first);
    expect(first.headers).toEqual({
      'X-RateLimit-Limit-token': 2,
      'X-RateLimit-Remaining-token': 1,
      'X-RateLimit-Reset-token': expect.any(Number),
    });
    limit.check(req, response());
    const refused = response();
    let error: unknown;
    try {
      limit.check(req, refused);
    } catch (e) {
      error = e;
    }
    expect(toRegistryError(error)).toEqual({
      status: 429,
      body: { errors: [{ code: 'TOOMANYREQUESTS', message: 'too many requests; retry later' }] },
    });
    expect(Object.keys(refused.headers)).toEqual(['Retry-After-token']);
    const wait = refused.headers['Retry-After-token'];
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(61);
    // Another client is not affected; this one is let through once Retry-After has passed.
    expect(() => limit.check({ ip: '192.0.2.8' }, response())).not.toThrow();
    clock.advance(wait * 1000);
    expect(() => limit.check(req, response())).not.toThrow();
  });
});

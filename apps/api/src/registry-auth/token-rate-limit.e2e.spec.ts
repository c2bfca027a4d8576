import type { Test } from 'supertest';
import { Clock } from '../platform/clock';
import { startApi, type TestApi } from '../testing/harness';

const SERVICE = 'registry.test:5000';
const WINDOW_MS = 60_000;
const TOO_MANY = { errors: [{ code: 'TOOMANYREQUESTS', message: 'too many requests; retry later' }] };

/** A door is one way into /v2/token; `xff` is an X-Forwarded-For header to send (believed or not). */
interface Door {
  readonly name: string;
  readonly send: (api: TestApi, xff?: string) => Test;
}

const withXff = (req: Test, xff: string | undefined) => (xff === undefined ? req : req.set('X-Forwarded-For', xff));

/** DOORS: the server's listener, the Express middleware (two ways) and TokenController (two ways). */
const DOORS: Door[] = [
  { name: 'GET (server listener)', send: (api, xff) => withXff(api.http.get(`/v2/token?service=${SERVICE}`), xff) },
  {
    name: 'GET with a trailing slash (Express middleware)',
    send: (api, xff) => withXff(api.http.get(`/v2/token/?service=${SERVICE}`), xff),
  },
  {
    name: 'POST form (Express middleware)',
    send: (api, xff) =>
      withXff(
        api.http
          .post('/v2/token')
          .type('form')
          .send({ grant_type: 'password', username: 'admin', password: 'password1234', service: SERVICE }),
        xff,
      ),
  },
  { name: 'HEAD (TokenController)', send: (api, xff) => withXff(api.http.head(`/v2/token?service=${SERVICE}`), xff) },
  {
    name: 'GET with Portus-Auth (TokenController)',
    send: (api, xff) => withXff(api.http.get(`/v2/token?service=${SERVICE}`).set('Portus-Auth', api.admin), xff),
  },
];

/**
 * freshWindow moves the api's clock to the start of a window two windows on: nothing before is remembered, and
 * the test has a whole minute of real time before the next window starts to free anything.
 */
function freshWindow(api: TestApi): void {
  const clock = api.app.get(Clock);
  clock.advance(2 * WINDOW_MS - (clock.now().getTime() % WINDOW_MS));
}

/** expectRefused checks the 429: the registry's error body (none for HEAD) and Retry-After-token in seconds. */
function expectRefused(res: { status: number; text: string; headers: Record<string, string> }, head = false): number {
  expect(res.status).toBe(429);
  if (!head) expect(JSON.parse(res.text)).toEqual(TOO_MANY);
  const wait = Number(res.headers['retry-after-token']);
  expect(wait).toBeGreaterThanOrEqual(1);
  expect(wait).toBeLessThanOrEqual(61);
  return wait;
}

/**
 * `rate_limit.token.per_minute` against a real api (issue 13 part 4, ADR 0017): one budget per client across
 * every door, X-Forwarded-For believed only from trusted proxies, 0 = off; time moves on the injected Clock.
 */
describe('rate limit on /v2/token', () => {
  describe('without http.trust_proxy', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startApi({ PORTCULLIS_RATE_LIMIT_TOKEN_PER_MINUTE: '3' });
    });
    afterAll(() => api.close());
    beforeEach(() => freshWindow(api));

    it.each(DOORS)('every door counts against one budget: three others, then $name is refused', async (door) => {
      const others = DOORS.filter((d) => d !== door).slice(0, 3);
      for (const [i, other] of others.entries()) {
        const res = await other.send(api);
        expect({ door: other.name, status: res.status }).toEqual({ door: other.name, status: 200 });
        expect(res.headers['x-ratelimit-limit-token']).toBe('3');
        expect(res.headers['x-ratelimit-remaining-token']).toBe(String(2 - i));
        expect(Number(res.headers['x-ratelimit-reset-token'])).toBeGreaterThanOrEqual(1);
      }
      expectRefused(await door.send(api), door.name.startsWith('HEAD'));
    });

    it('hostile: X-Forwarded-For is not believed, so spoofed addresses share the real client budget', async () => {
      for (const xff of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) await DOORS[0].send(api, xff).expect(200);
      expectRefused(await DOORS[0].send(api, '198.51.100.4'));
      expectRefused(await DOORS[2].send(api, '2001:db8::1'));
    });

    it('window roll-over: Retry-After-token seconds later on the clock, the client is let through again', async () => {
      for (let i = 0; i < 3; i++) await DOORS[0].send(api).expect(200);
      const wait = expectRefused(await DOORS[0].send(api));
      // Asking on while refused does not push the wait back.
      for (let i = 0; i < 5; i++) expectRefused(await DOORS[2].send(api));
      api.app.get(Clock).advance(wait * 1000);
      await DOORS[0].send(api).expect(200);
    });

    it('counts a refused login like any request (the limit is checked before credentials)', async () => {
      const basic = `Basic ${Buffer.from('nobody:wrong-password').toString('base64')}`;
      for (let i = 0; i < 3; i++)
        await api.http.get(`/v2/token?service=${SERVICE}`).set('Authorization', basic).expect(401);
      expectRefused(await api.http.get(`/v2/token?service=${SERVICE}`).set('Authorization', basic));
    });
  });

  describe('with http.trust_proxy=loopback', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startApi({ PORTCULLIS_RATE_LIMIT_TOKEN_PER_MINUTE: '3', PORTCULLIS_HTTP_TRUST_PROXY: 'loopback' });
    });
    afterAll(() => api.close());
    beforeEach(() => freshWindow(api));

    it.each(DOORS)('a client the proxy names has its own budget on every door ($name)', async (door) => {
      for (let i = 0; i < 3; i++) await door.send(api, '198.51.100.7').expect(200);
      expectRefused(await door.send(api, '198.51.100.7'), door.name.startsWith('HEAD'));
      await door.send(api, '198.51.100.8').expect(200);
    });

    it.each<[string, string, string]>([
      ['prepending a made-up address', '198.51.100.7', '203.0.113.9, 198.51.100.7'],
      ['prepending several', '198.51.100.7', '203.0.113.1, 203.0.113.2, 203.0.113.3, 198.51.100.7'],
      ['moving to another address of its IPv6 /64', '2001:db8:0:7::1', '2001:db8:0:7::ffff'],
    ])('hostile: a refused client %s is still counted as itself', async (_name, real, spoof) => {
      for (let i = 0; i < 3; i++) await DOORS[0].send(api, real).expect(200);
      expectRefused(await DOORS[0].send(api, spoof));
      expectRefused(await DOORS[2].send(api, spoof));
    });

    it('many clients behind the proxy each keep their own budget while one is refused', async () => {
      for (let i = 0; i < 3; i++) await DOORS[0].send(api, '198.51.100.7').expect(200);
      for (let n = 0; n < 60; n++) {
        const res = await DOORS[n % 2 === 0 ? 0 : 2].send(api, `10.0.${n >> 8}.${n & 255}`);
        expect(res.status).toBe(200);
        expect(res.headers['x-ratelimit-remaining-token']).toBe('2');
      }
      expectRefused(await DOORS[0].send(api, '198.51.100.7'));
    });
  });

  describe('with http.trust_proxy=true (every X-Forwarded-For believed)', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startApi({ PORTCULLIS_RATE_LIMIT_TOKEN_PER_MINUTE: '3', PORTCULLIS_HTTP_TRUST_PROXY: 'true' });
    });
    afterAll(() => api.close());
    beforeEach(() => freshWindow(api));

    it('hostile: text that is no address, however varied, shares one budget', async () => {
      for (let i = 0; i < 3; i++) await DOORS[0].send(api, `${'x'.repeat(100)}-${i}`).expect(200);
      expectRefused(await DOORS[0].send(api, `${'y'.repeat(2000)}`));
      await DOORS[0].send(api, '198.51.100.7').expect(200);
    });
  });

  describe('with rate_limit.token.per_minute=0', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startApi({ PORTCULLIS_RATE_LIMIT_TOKEN_PER_MINUTE: '0' });
    });
    afterAll(() => api.close());

    it('limits nothing on any door and sends no rate-limit headers', async () => {
      for (let i = 0; i < 40; i++) {
        const res = await DOORS[i % DOORS.length].send(api).expect(200);
        expect(Object.keys(res.headers).filter((h) => h.includes('ratelimit') || h.startsWith('retry-after'))).toEqual(
          [],
        );
      }
    });
  });
});

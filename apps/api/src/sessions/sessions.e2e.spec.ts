import type { Response } from 'supertest';
import { Collections } from '@portcullis/read-models';
import { Clock } from '../platform/clock';
import { LoginAttempts } from '../identity/login-attempts';
import { ReadSide } from '../platform/read-side';
import { UsageRecorder } from '../identity/usage-recorder';
import { expectProblem, startApi, type TestApi } from '../testing/harness';

const PASSWORD = 'password1234';
const MINUTE = 60_000;

/**
 * UI sessions, lockout, rate limits and last-used marks against a real api (issue 4 items 3–6). Time is
 * moved with the injected Clock, never waited for.
 */
describe('identity: sessions, lockout, rate limits, token last-used', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi({
      PORTCULLIS_SESSIONS_IDLE_TIMEOUT_MINUTES: '5',
      PORTCULLIS_SESSIONS_ABSOLUTE_TIMEOUT_MINUTES: '60',
      PORTCULLIS_LOCKOUT_MAX_ATTEMPTS: '3',
      PORTCULLIS_LOCKOUT_UNLOCK_AFTER_MINUTES: '10',
      PORTCULLIS_HTTP_TRUST_PROXY: 'loopback',
    });
  });
  afterAll(() => api.close());

  const cookieOf = (res: Response): string => {
    const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    const ours = set.find((c) => c.startsWith('portcullis_session='));
    if (!ours) throw new Error(`no session cookie in ${JSON.stringify(set)}`);
    return ours.split(';')[0];
  };
  async function login(username: string, password = PASSWORD) {
    const res = await api.http.post('/api/v1/sessions').send({ username, password });
    if (res.status !== 201) throw new Error(`login ${res.status} ${res.text}`);
    return { cookie: cookieOf(res), csrf: res.body.csrf_token as string, res };
  }
  const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
  const token = (user: string, secret = PASSWORD) =>
    api.http.get('/v2/token?service=registry.test:5000').set('Authorization', basic(user, secret));
  const rename = (id: number, s: { cookie: string; csrf?: string }, headers: Record<string, string> = {}) => {
    const req = api.http.put(`/api/v1/users/${id}`).set('Cookie', s.cookie).set(headers);
    if (s.csrf) req.set('X-CSRF-Token', s.csrf);
    return req.send({ user: { display_name: 'Changed' } });
  };
  const activities = async (key: string, userId: number) =>
    api.app.get(ReadSide).store.collection(Collections.activities).find({ key, trackable_id: userId });
  const flushFailures = async () => api.app.get(ReadSide).waitFor(await api.app.get(LoginAttempts).flush());

  describe('login', () => {
    it('sets an HttpOnly, SameSite=Strict cookie scoped to /api, not Secure over plain HTTP', async () => {
      await api.user('carol');
      const { res } = await login('carol');
      const set = String(res.headers['set-cookie']);
      expect(set).toMatch(
        /^portcullis_session=[A-Za-z0-9_-]{43}; Path=\/api; HttpOnly; SameSite=Strict; Max-Age=3600$/,
      );
      expect(res.body.user).toMatchObject({ username: 'carol', bot: false });
      expect(res.body.csrf_token).toEqual(expect.any(String));
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('marks the cookie Secure when a trusted proxy says the request came over TLS', async () => {
      const res = await api.http
        .post('/api/v1/sessions')
        .set('X-Forwarded-Proto', 'https')
        .send({ username: 'carol', password: PASSWORD });
      expect(res.status).toBe(201);
      expect(String(res.headers['set-cookie'])).toMatch(/; Secure$/);
    });

    it('answers unknown users and wrong passwords alike (no enumeration)', async () => {
      const unknown = await api.http.post('/api/v1/sessions').send({ username: 'nobody', password: 'wrong-password' });
      const wrong = await api.http.post('/api/v1/sessions').send({ username: 'carol', password: 'wrong-password' });
      expectProblem(unknown, 401);
      expect(wrong.status).toBe(unknown.status);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.headers['set-cookie']).toBeUndefined();
      const t1 = await token('nobody', 'wrong-password');
      const t2 = await token('carol', 'wrong-password');
      expect([t1.status, t1.body]).toEqual([t2.status, t2.body]);
    });

    it('refuses bots (application tokens only) and a foreign Origin', async () => {
      await api.user('robo', { bot: true });
      const bot = await api.http.post('/api/v1/sessions').send({ username: 'robo', password: PASSWORD });
      expectProblem(bot, 403, /bots/);
      const foreign = await api.http
        .post('/api/v1/sessions')
        .set('Origin', 'https://evil.test')
        .send({ username: 'carol', password: PASSWORD });
      expectProblem(foreign, 403, /cross-origin/);
    });

    it('shows the session, then logs out', async () => {
      const dave = await api.user('dave');
      const s = await login('dave');
      const current = await api.http.get('/api/v1/sessions/current').set('Cookie', s.cookie).expect(200);
      expect(current.body).toMatchObject({ user: { id: dave.id, username: 'dave' }, csrf_token: s.csrf });
      const refused = await api.http.delete('/api/v1/sessions').set('Cookie', s.cookie);
      expectProblem(refused, 403, /CSRF/);
      const out = await api.http.delete('/api/v1/sessions').set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf);
      expect(out.status).toBe(204);
      expect(String(out.headers['set-cookie'])).toMatch(/Max-Age=0/);
      expectProblem(await api.http.get('/api/v1/sessions/current').set('Cookie', s.cookie), 401);
      expectProblem(await api.http.get('/api/v1/sessions/current'), 401);
      const users = await api.app.get(ReadSide).user(dave.id);
      expect(users?.['current_sign_in_at']).toEqual(expect.any(String));
      expect(await activities('user.login', dave.id)).toHaveLength(1);
      expect(await activities('user.logout', dave.id)).toHaveLength(1);
    });
  });

  describe('CSRF on cookie-authenticated writes', () => {
    it('refuses a write without the token or from a foreign Origin, allows it with the token', async () => {
      const erin = await api.user('erin');
      const s = await login('erin');
      expectProblem(await rename(erin.id, { cookie: s.cookie }), 403, /missing X-CSRF-Token/);
      expectProblem(await rename(erin.id, { cookie: s.cookie, csrf: 'x'.repeat(43) }), 403, /invalid X-CSRF-Token/);
      expectProblem(await rename(erin.id, s, { Origin: 'https://evil.test' }), 403, /cross-origin/);
      const same = await rename(erin.id, s);
      expect(same.status).toBe(200);
      expect(same.body.display_name).toBe('Changed');
      // Portus-Auth clients send no CSRF token: headers cannot be forged cross-site.
      await api.http
        .put(`/api/v1/users/${erin.id}`)
        .set('Portus-Auth', erin.auth)
        .send({ user: { display_name: 'Again' } })
        .expect(200);
    });
  });

  describe('expiry and revocation', () => {
    it('ends a session after the idle timeout, but not while it is used', async () => {
      await api.user('fred');
      const s = await login('fred');
      const clock = api.app.get(Clock);
      for (let i = 0; i < 3; i++) {
        clock.advance(4 * MINUTE);
        await api.http.get('/api/v1/sessions/current').set('Cookie', s.cookie).expect(200);
      }
      clock.advance(6 * MINUTE);
      expectProblem(await api.http.get('/api/v1/sessions/current').set('Cookie', s.cookie), 401, /expired/);
    });

    it('ends a session at the absolute timeout however active', async () => {
      await api.user('gina');
      const s = await login('gina');
      const clock = api.app.get(Clock);
      for (let i = 0; i < 14; i++) {
        clock.advance(4 * MINUTE);
        await api.http.get('/api/v1/sessions/current').set('Cookie', s.cookie).expect(200);
      }
      clock.advance(5 * MINUTE);
      expectProblem(await api.http.get('/api/v1/sessions/current').set('Cookie', s.cookie), 401, /expired/);
    });

    it('revokes sessions when the user is disabled', async () => {
      const hank = await api.user('hank');
      const s = await login('hank');
      await api.http
        .put(`/api/v1/users/${hank.id}/enabled`)
        .set('Portus-Auth', api.admin)
        .send({ enabled: false })
        .expect(200);
      expectProblem(await api.http.get('/api/v1/sessions/current').set('Cookie', s.cookie), 401);
      expect(await api.app.get(ReadSide).store.collection(Collections.sessions).count({ user_id: hank.id })).toBe(0);
    });

    it('revokes sessions when the password changes, and the old password stops working', async () => {
      const ida = await api.user('ida');
      const a = await login('ida');
      const b = await login('ida');
      await api.http
        .put(`/api/v1/users/${ida.id}`)
        .set('Cookie', a.cookie)
        .set('X-CSRF-Token', a.csrf)
        .send({ user: { password: 'a-new-password' } })
        .expect(200);
      for (const s of [a, b])
        expectProblem(await api.http.get('/api/v1/sessions/current').set('Cookie', s.cookie), 401);
      expect((await token('ida')).status).toBe(401);
      expect((await token('ida', 'a-new-password')).status).toBe(200);
    });
  });

  describe('lockout', () => {
    it('locks after max_attempts via /v2/token, refuses even the cached password, unlocks after the configured time', async () => {
      const jack = await api.user('jack');
      expect((await token('jack')).status).toBe(200); // warms the verified-credentials cache
      for (let i = 0; i < 3; i++) expect((await token('jack', 'wrong-password')).status).toBe(401);
      const locked = await token('jack');
      expect(locked.status).toBe(401);
      expect(locked.body).toEqual((await token('nobody', 'wrong-password')).body);
      await flushFailures();
      const user = await api.app.get(ReadSide).user(jack.id);
      expect(user?.['locked_at']).toEqual(expect.any(String));
      expect(await activities('user.locked', jack.id)).toHaveLength(1);
      const failed = await activities('user.login_failed', jack.id);
      expect(failed.reduce((n, a) => n + ((a['parameters'] as { attempts: number }).attempts ?? 0), 0)).toBe(3);
      expect(JSON.stringify(failed)).not.toContain('wrong-password');
      // Application tokens keep working: a lock is against password guessing, not a way to lock CI out.
      await api.http.get(`/api/v1/users/${jack.id}`).set('Portus-Auth', jack.auth).expect(200);
      api.app.get(Clock).advance(11 * MINUTE);
      expect((await token('jack')).status).toBe(200);
    });

    it('locks after max_attempts via sessions; an admin can unlock early', async () => {
      const kim = await api.user('kim');
      for (let i = 0; i < 3; i++)
        expectProblem(
          await api.http.post('/api/v1/sessions').send({ username: 'kim', password: 'wrong-password' }),
          401,
        );
      expectProblem(await api.http.post('/api/v1/sessions').send({ username: 'kim', password: PASSWORD }), 401);
      await flushFailures();
      expectProblem(await api.http.put(`/api/v1/users/${kim.id}/unlock`).set('Portus-Auth', kim.auth), 403);
      const unlocked = await api.http.put(`/api/v1/users/${kim.id}/unlock`).set('Portus-Auth', api.admin).expect(200);
      expect(unlocked.body.locked_at).toBeNull();
      await login('kim');
      expect(await activities('user.unlock', kim.id)).toHaveLength(1);
    });

    it('holds on another replica through the read model (UserLocked projected)', async () => {
      const lee = await api.user('lee');
      for (let i = 0; i < 3; i++) await token('lee', 'wrong-password');
      await flushFailures();
      // A fresh LoginAttempts view: only the read model knows about the lock now.
      const attempts = api.app.get(LoginAttempts) as unknown as { local: Map<number, unknown> };
      attempts.local.clear();
      expect((await token('lee')).status).toBe(401);
      expect((await api.app.get(ReadSide).user(lee.id))?.['locked_at']).toEqual(expect.any(String));
    });
  });

  describe('application token last-used', () => {
    it('appears in the token list after use, without the request waiting for it', async () => {
      const max = await api.user('max');
      const before = await api.http.get(`/api/v1/users/${max.id}/application_tokens`).set('Portus-Auth', max.auth);
      // The list request itself used the token, but the mark is only in memory so far.
      expect(before.body[0].last_used_at).toBeNull();
      await api.app.get(UsageRecorder).flush();
      await new Promise((r) => setTimeout(r, 0));
      const deadline = Date.now() + 5000;
      let after = before;
      while (Date.now() < deadline) {
        after = await api.http.get(`/api/v1/users/${max.id}/application_tokens`).set('Portus-Auth', max.auth);
        if (after.body[0].last_used_at) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(after.body[0].last_used_at).toEqual(expect.any(String));
    });
  });
});

describe('rate limits', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({
      PORTCULLIS_RATE_LIMIT_TOKEN_PER_MINUTE: '3',
      PORTCULLIS_RATE_LIMIT_SESSIONS_PER_MINUTE: '2',
    });
  });
  afterAll(() => api.close());

  it('answers 429 on /v2/token in the registry error format', async () => {
    for (let i = 0; i < 3; i++) await api.http.get('/v2/token?service=registry.test:5000').expect(200);
    const res = await api.http.get('/v2/token?service=registry.test:5000');
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ errors: [{ code: 'TOOMANYREQUESTS', message: 'too many requests; retry later' }] });
    expect(res.headers['retry-after-token']).toBeDefined();
  });

  it('answers 429 problem+json on session login, independently of the token limit', async () => {
    for (let i = 0; i < 2; i++)
      expectProblem(await api.http.post('/api/v1/sessions').send({ username: 'x', password: 'wrong-password' }), 401);
    const body = expectProblem(
      await api.http.post('/api/v1/sessions').send({ username: 'x', password: 'wrong-password' }),
      429,
    );
    expect(body).toMatchObject({ code: 'RATE_LIMITED' });
    // Other /api routes are not limited.
    for (let i = 0; i < 5; i++) await api.http.get('/api/v1/users').set('Portus-Auth', api.admin).expect(200);
  });
});

import { Clock } from '../platform/clock';
import { expectProblem, startApi, type TestApi } from '../testing/harness';

describe('users API (/api/v1/users)', () => {
  let api: TestApi;
  let alice: { id: number; auth: string };

  beforeAll(async () => {
    api = await startApi();
    alice = await api.user('alice');
  });
  afterAll(() => api.close());

  describe('bootstrap', () => {
    it('refuses a second bootstrap with 400 once a user exists', async () => {
      const res = await api.http
        .post('/api/v1/users/bootstrap')
        .send({ user: { username: 'eve', email: 'eve@example.com', password: 'password1234' } });
      expectProblem(res, 400, /no users/);
    });

    it('is 405 when first_user_admin is disabled', async () => {
      const other = await startApi({ PORTCULLIS_FIRST_USER_ADMIN_ENABLED: 'false' }, { bootstrap: false });
      try {
        const res = await other.http
          .post('/api/v1/users/bootstrap')
          .send({ user: { username: 'root', email: 'root@example.com', password: 'password1234' } });
        expectProblem(res, 405);
      } finally {
        await other.close();
      }
    });

    it('creates the first admin with a personal namespace once a registry exists, and returns its token once', async () => {
      const fresh = await startApi({}, { bootstrap: false });
      try {
        const res = await fresh.http
          .post('/api/v1/users/bootstrap')
          .send({ user: { username: 'root', email: 'root@example.com', password: 'password1234' } })
          .expect(201);
        expect(res.body).toEqual({
          id: expect.any(Number),
          application: 'bootstrap',
          plain_token: expect.stringMatching(/^pcat_/),
        });
        const me = await fresh.http
          .get('/api/v1/users/1')
          .set('Portus-Auth', `root:${res.body.plain_token}`)
          .expect(200);
        expect(me.body).toMatchObject({ username: 'root', admin: true, enabled: true, bot: false });
        const tokens = await fresh.http
          .get('/api/v1/users/1/application_tokens')
          .set('Portus-Auth', `root:${res.body.plain_token}`)
          .expect(200);
        expect(tokens.body).toEqual([
          {
            id: expect.any(Number),
            application: 'bootstrap',
            expires_at: null,
            created_at: expect.any(String),
            last_used_at: null,
          },
        ]);
      } finally {
        await fresh.close();
      }
    });

    it('rejects a short password with 422 and creates nothing', async () => {
      const fresh = await startApi({}, { bootstrap: false });
      try {
        const res = await fresh.http
          .post('/api/v1/users/bootstrap')
          .send({ user: { username: 'root', email: 'root@example.com', password: 'short' } });
        expectProblem(res, 422, /password/);
        await fresh.http
          .post('/api/v1/users/bootstrap')
          .send({ user: { username: 'root', email: 'root@example.com', password: 'password1234' } })
          .expect(201);
      } finally {
        await fresh.close();
      }
    });
  });

  describe('list and show', () => {
    it('lists users for admins with Portus pagination headers', async () => {
      const res = await api.http.get('/api/v1/users?per_page=1&page=2').set('Portus-Auth', api.admin).expect(200);
      expect(res.body).toHaveLength(1);
      expect(res.headers['x-page']).toBe('2');
      expect(res.headers['x-per-page']).toBe('1');
      expect(Number(res.headers['x-total'])).toBeGreaterThanOrEqual(2);
      expect(res.headers['x-prev-page']).toBe('1');
      expect(res.headers['link']).toContain('rel="first"');
    });
    it('is 401 without credentials and with a wrong token', async () => {
      expectProblem(await api.http.get('/api/v1/users'), 401, /Authentication fails/);
      expectProblem(await api.http.get('/api/v1/users').set('Portus-Auth', 'admin:pcat_wrong'), 401);
      expectProblem(await api.http.get('/api/v1/users').set('Portus-Auth', 'garbage'), 401);
      // A valid token presented under someone else's name is refused too.
      expectProblem(await api.http.get('/api/v1/users').set('Portus-Auth', `alice:${api.admin.split(':')[1]}`), 401);
    });
    it('is 403 for non-admins', async () => {
      expectProblem(await api.http.get('/api/v1/users').set('Portus-Auth', alice.auth), 403, /Authorization fails/);
    });
    it('shows a user by id or email; 404 for unknown', async () => {
      const byId = await api.http.get(`/api/v1/users/${alice.id}`).set('Portus-Auth', api.admin).expect(200);
      expect(byId.body).toMatchObject({
        id: alice.id,
        username: 'alice',
        email: 'alice@example.com',
        admin: false,
        enabled: true,
      });
      expect(byId.body).not.toHaveProperty('password');
      const byEmail = await api.http.get('/api/v1/users/alice@example.com').set('Portus-Auth', api.admin).expect(200);
      expect(byEmail.body.id).toBe(alice.id);
      expectProblem(await api.http.get('/api/v1/users/9999').set('Portus-Auth', api.admin), 404);
    });
    it('gives a user a private personal namespace', async () => {
      const user = await api.http.get(`/api/v1/users/${alice.id}`).set('Portus-Auth', alice.auth).expect(200);
      const ns = await api.http
        .get(`/api/v1/namespaces/${user.body.namespace_id}`)
        .set('Portus-Auth', alice.auth)
        .expect(200);
      expect(ns.body).toMatchObject({
        name: 'alice',
        visibility: 'private',
        global: false,
        description: 'This personal namespace belongs to alice.',
      });
    });
  });

  describe('create, update, delete', () => {
    it('creates a user (201) and refuses duplicates (409) and bad input (422)', async () => {
      const res = await api.http
        .post('/api/v1/users')
        .set('Portus-Auth', api.admin)
        .send({ user: { username: 'bob', email: 'bob@example.com', password: 'password1234' } })
        .expect(201);
      expect(res.body).toMatchObject({ username: 'bob', admin: false, bot: false });
      expectProblem(
        await api.http
          .post('/api/v1/users')
          .set('Portus-Auth', api.admin)
          .send({ user: { username: 'BOB', email: 'b2@example.com', password: 'password1234' } }),
        409,
        /taken/,
      );
      expectProblem(
        await api.http
          .post('/api/v1/users')
          .set('Portus-Auth', api.admin)
          .send({ user: { username: 'bob2', email: 'bob@example.com', password: 'password1234' } }),
        409,
        /taken/,
      );
      expectProblem(
        await api.http
          .post('/api/v1/users')
          .set('Portus-Auth', api.admin)
          .send({ user: { username: 'x', email: 'not-an-email', password: 'password1234' } }),
        422,
        /email/,
      );
      expectProblem(
        await api.http
          .post('/api/v1/users')
          .set('Portus-Auth', alice.auth)
          .send({ user: { username: 'mallory', email: 'm@example.com', password: 'password1234' } }),
        403,
      );
      expectProblem(
        await api.http
          .post('/api/v1/users')
          .send({ user: { username: 'mallory', email: 'm@example.com', password: 'password1234' } }),
        401,
      );
    });
    it('updates a user; username changes free the old name', async () => {
      const carol = await api.user('carol');
      const res = await api.http
        .put(`/api/v1/users/${carol.id}`)
        .set('Portus-Auth', api.admin)
        .send({ user: { username: 'caroline', display_name: 'Caroline' } })
        .expect(200);
      expect(res.body).toMatchObject({ username: 'caroline', display_name: 'Caroline' });
      await api.http
        .post('/api/v1/users')
        .set('Portus-Auth', api.admin)
        .send({ user: { username: 'carol', email: 'c2@example.com', password: 'password1234' } })
        .expect(201);
      expectProblem(
        await api.http
          .put(`/api/v1/users/${carol.id}`)
          .set('Portus-Auth', alice.auth)
          .send({ user: { email: 'x@example.com' } }),
        403,
      );
      expectProblem(
        await api.http
          .put('/api/v1/users/9999')
          .set('Portus-Auth', api.admin)
          .send({ user: { email: 'x@example.com' } }),
        404,
      );
      expectProblem(
        await api.http
          .put(`/api/v1/users/${carol.id}`)
          .set('Portus-Auth', api.admin)
          .send({ user: { email: 42 } }),
        422,
      );
    });
    it('lets users change their own email but not their username', async () => {
      const dave = await api.user('dave');
      await api.http
        .put(`/api/v1/users/${dave.id}`)
        .set('Portus-Auth', dave.auth)
        .send({ user: { email: 'dave2@example.com' } })
        .expect(200);
      expectProblem(
        await api.http
          .put(`/api/v1/users/${dave.id}`)
          .set('Portus-Auth', dave.auth)
          .send({ user: { username: 'david' } }),
        403,
      );
    });
    it('disables and enables; a disabled user cannot authenticate', async () => {
      const erin = await api.user('erin');
      await api.http.get(`/api/v1/users/${erin.id}`).set('Portus-Auth', erin.auth).expect(200);
      const res = await api.http
        .put(`/api/v1/users/${erin.id}/enabled`)
        .set('Portus-Auth', api.admin)
        .send({ enabled: false })
        .expect(200);
      expect(res.body.enabled).toBe(false);
      expectProblem(await api.http.get(`/api/v1/users/${erin.id}`).set('Portus-Auth', erin.auth), 401);
      await api.http
        .put(`/api/v1/users/${erin.id}/enabled`)
        .set('Portus-Auth', api.admin)
        .send({ enabled: true })
        .expect(200);
      await api.http.get(`/api/v1/users/${erin.id}`).set('Portus-Auth', erin.auth).expect(200);
    });
    it('refuses to disable or demote the last enabled admin', async () => {
      const me = await api.http.get('/api/v1/users/1').set('Portus-Auth', api.admin).expect(200);
      expect(me.body.admin).toBe(true);
      expectProblem(
        await api.http.put('/api/v1/users/1/enabled').set('Portus-Auth', api.admin).send({ enabled: false }),
        422,
        /admin/i,
      );
      expectProblem(
        await api.http.put('/api/v1/users/1/admin').set('Portus-Auth', api.admin).send({ admin: false }),
        403,
      );
    });
    it('grants and revokes admin; admins become owners of the global team', async () => {
      const frank = await api.user('frank');
      const res = await api.http
        .put(`/api/v1/users/${frank.id}/admin`)
        .set('Portus-Auth', api.admin)
        .send({ admin: true })
        .expect(200);
      expect(res.body.admin).toBe(true);
      // frank can now list users, which needs admin
      await api.http.get('/api/v1/users').set('Portus-Auth', frank.auth).expect(200);
      await api.http
        .put(`/api/v1/users/${frank.id}/admin`)
        .set('Portus-Auth', api.admin)
        .send({ admin: false })
        .expect(200);
      expectProblem(await api.http.get('/api/v1/users').set('Portus-Auth', frank.auth), 403);
      expectProblem(
        await api.http.put(`/api/v1/users/${frank.id}/admin`).set('Portus-Auth', alice.auth).send({ admin: true }),
        403,
      );
    });
    it('deletes a user (204) and frees the name; 404 after', async () => {
      const gina = await api.user('gina');
      await api.http.delete(`/api/v1/users/${gina.id}`).set('Portus-Auth', api.admin).expect(204);
      expectProblem(await api.http.get(`/api/v1/users/${gina.id}`).set('Portus-Auth', api.admin), 404);
      expectProblem(await api.http.delete(`/api/v1/users/${gina.id}`).set('Portus-Auth', api.admin), 404);
      expectProblem(await api.http.delete(`/api/v1/users/${alice.id}`).set('Portus-Auth', alice.auth), 403);
      expectProblem(await api.http.get(`/api/v1/users/${gina.id}`).set('Portus-Auth', gina.auth), 401);
    });
  });

  describe('application tokens', () => {
    it('accepts a token until it expires, then refuses it for the API and for docker login', async () => {
      const expiresAt = new Date(Date.now() + 60 * 60 * 1000).toISOString();
      const created = await api.http
        .post(`/api/v1/users/${alice.id}/application_tokens`)
        .set('Portus-Auth', alice.auth)
        .send({ application: 'short-lived', expires_at: expiresAt })
        .expect(201);
      expect(created.body.expires_at).toBe(expiresAt);
      const header = `alice:${created.body.plain_token}`;
      const basic = `Basic ${Buffer.from(header).toString('base64')}`;
      await api.http.get(`/api/v1/users/${alice.id}`).set('Portus-Auth', header).expect(200);
      await api.http.get('/v2/token?service=registry.test:5000&account=alice').set('Authorization', basic).expect(200);
      // Two hours later (the api's injectable clock; nothing sleeps) the same token is refused everywhere.
      api.app.get(Clock).advance(2 * 60 * 60 * 1000);
      try {
        expectProblem(await api.http.get(`/api/v1/users/${alice.id}`).set('Portus-Auth', header), 401);
        const token = await api.http
          .get('/v2/token?service=registry.test:5000&account=alice')
          .set('Authorization', basic);
        expect(token.status).toBe(401);
      } finally {
        api.app.get(Clock).advance(-2 * 60 * 60 * 1000);
      }
    });

    it('creates, lists and deletes own tokens; the plain token is shown once and works', async () => {
      const created = await api.http
        .post(`/api/v1/users/${alice.id}/application_tokens`)
        .set('Portus-Auth', alice.auth)
        .send({ application: 'ci' })
        .expect(201);
      expect(created.body.plain_token).toMatch(/^pcat_[A-Za-z0-9_-]{40,}$/);
      await api.http
        .get(`/api/v1/users/${alice.id}`)
        .set('Portus-Auth', `alice:${created.body.plain_token}`)
        .expect(200);
      const list = await api.http
        .get(`/api/v1/users/${alice.id}/application_tokens`)
        .set('Portus-Auth', alice.auth)
        .expect(200);
      expect(list.body.map((t: { application: string }) => t.application)).toContain('ci');
      expect(JSON.stringify(list.body)).not.toContain(created.body.plain_token);
      expectProblem(
        await api.http
          .post(`/api/v1/users/${alice.id}/application_tokens`)
          .set('Portus-Auth', alice.auth)
          .send({ application: 'CI' }),
        409,
      );
      await api.http
        .delete(`/api/v1/users/application_tokens/${created.body.id}`)
        .set('Portus-Auth', alice.auth)
        .expect(204);
      expectProblem(
        await api.http.get(`/api/v1/users/${alice.id}`).set('Portus-Auth', `alice:${created.body.plain_token}`),
        401,
      );
      expectProblem(
        await api.http.delete(`/api/v1/users/application_tokens/${created.body.id}`).set('Portus-Auth', alice.auth),
        404,
      );
    });
    it('refuses other users’ tokens (Portus let anyone) — admins only manage bots’', async () => {
      const hank = await api.user('hank');
      expectProblem(
        await api.http.get(`/api/v1/users/${hank.id}/application_tokens`).set('Portus-Auth', alice.auth),
        403,
      );
      expectProblem(
        await api.http
          .post(`/api/v1/users/${hank.id}/application_tokens`)
          .set('Portus-Auth', alice.auth)
          .send({ application: 'x' }),
        403,
      );
      expectProblem(
        await api.http
          .post(`/api/v1/users/${hank.id}/application_tokens`)
          .set('Portus-Auth', api.admin)
          .send({ application: 'x' }),
        403,
      );
      const hankTokens = await api.http
        .get(`/api/v1/users/${hank.id}/application_tokens`)
        .set('Portus-Auth', hank.auth)
        .expect(200);
      expectProblem(
        await api.http
          .delete(`/api/v1/users/application_tokens/${hankTokens.body[0].id}`)
          .set('Portus-Auth', alice.auth),
        403,
      );
      const bot = await api.user('ci-bot', { bot: true });
      await api.http
        .post(`/api/v1/users/${bot.id}/application_tokens`)
        .set('Portus-Auth', api.admin)
        .send({ application: 'deploy' })
        .expect(201);
      const botUser = await api.http.get(`/api/v1/users/${bot.id}`).set('Portus-Auth', api.admin).expect(200);
      expect(botUser.body).toMatchObject({ bot: true, namespace_id: null });
    });
    it('enforces the per-user limit (application_tokens.max, default 5) with 422', async () => {
      const ivy = await api.user('ivy'); // has 1 token
      for (let i = 0; i < 4; i++)
        await api.http
          .post(`/api/v1/users/${ivy.id}/application_tokens`)
          .set('Portus-Auth', ivy.auth)
          .send({ application: `t${i}` })
          .expect(201);
      expectProblem(
        await api.http
          .post(`/api/v1/users/${ivy.id}/application_tokens`)
          .set('Portus-Auth', ivy.auth)
          .send({ application: 'sixth' }),
        422,
      );
    });
    it('validates token input (422): blank name, expiry in the past, unknown user', async () => {
      expectProblem(
        await api.http
          .post(`/api/v1/users/${alice.id}/application_tokens`)
          .set('Portus-Auth', alice.auth)
          .send({ application: '' }),
        422,
      );
      expectProblem(
        await api.http
          .post(`/api/v1/users/${alice.id}/application_tokens`)
          .set('Portus-Auth', alice.auth)
          .send({ application: 'x', expires_at: '2000-01-01T00:00:00Z' }),
        422,
      );
      expectProblem(await api.http.get('/api/v1/users/9999/application_tokens').set('Portus-Auth', api.admin), 404);
    });
  });
});

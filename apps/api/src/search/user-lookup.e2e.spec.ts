import { expectProblem, startApi, type TestApi } from '../testing/harness';

// Several suites share a 2-core machine: set-up through the real HTTP stack can take seconds.
jest.setTimeout(60_000);

describe('GET /api/v1/users/lookup (member typeahead)', () => {
  let api: TestApi;
  let uma: { id: number; auth: string };

  beforeAll(async () => {
    api = await startApi();
    uma = await api.user('uma');
    for (const name of ['mallory', 'marta', 'Martin', 'amartya']) await api.user(name);
    for (let i = 0; i < 12; i++) await api.user(`bulk${String(i).padStart(2, '0')}`);
    const gone = await api.user('marvin');
    await api.http
      .put(`/api/v1/users/${gone.id}/enabled`)
      .set('Portus-Auth', api.admin)
      .send({ enabled: false })
      .expect(200);
  });
  afterAll(() => api.close());

  it('answers 401 to anonymous callers', async () => {
    expectProblem(await api.http.get('/api/v1/users/lookup?q=ma'), 401);
  });

  it('lets any signed-in user find enabled users by username prefix, case-insensitively, without e-mails', async () => {
    const res = await api.http.get('/api/v1/users/lookup?q=MAR').set('Portus-Auth', uma.auth).expect(200);
    // amartya contains "mar" but does not start with it; marvin is disabled.
    expect(res.body.map((u: { username: string }) => u.username)).toEqual(['Martin', 'marta']);
    expect(Object.keys(res.body[0]).sort()).toEqual(['display_name', 'id', 'username']);
  });

  it('answers at most 10 users', async () => {
    const res = await api.http.get('/api/v1/users/lookup?q=bulk').set('Portus-Auth', uma.auth).expect(200);
    expect(res.body).toHaveLength(10);
    expect(res.body[0].username).toBe('bulk00');
  });

  it.each([[''], ['q=%20'], [`q=${'x'.repeat(256)}`]])('answers 422 for a missing or bad prefix (%s)', async (qs) => {
    expectProblem(await api.http.get(`/api/v1/users/lookup?${qs}`).set('Portus-Auth', uma.auth), 422);
  });

  it('treats LIKE wildcards in the prefix as plain text', async () => {
    const res = await api.http.get('/api/v1/users/lookup?q=%25').set('Portus-Auth', uma.auth).expect(200);
    expect(res.body).toEqual([]);
  });

  it('leaves /users/:id to UsersController', async () => {
    await api.http.get(`/api/v1/users/${uma.id}`).set('Portus-Auth', uma.auth).expect(200);
  });
});

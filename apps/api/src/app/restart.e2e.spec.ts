import { startApi, type TestApi } from '../testing/harness';

describe('state survives a restart on the same data dir', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('keeps users, teams, members and namespaces, and rebuilt read models agree', async () => {
    const u = await api.user('sam');
    await api.http
      .post('/api/v1/teams')
      .set('Portus-Auth', api.admin)
      .send({ name: 'platform', owner_id: u.id })
      .expect(201);
    await api.http
      .post('/api/v1/namespaces')
      .set('Portus-Auth', u.auth)
      .send({ name: 'infra', team: 'platform' })
      .expect(201);
    await api.restart();
    const users = await api.http.get('/api/v1/users').set('Portus-Auth', api.admin).expect(200);
    expect(users.body.map((x: { username: string }) => x.username)).toEqual(['admin', 'sam']);
    const teams = await api.http.get('/api/v1/teams').set('Portus-Auth', u.auth).expect(200);
    expect(teams.body.map((t: { name: string }) => t.name)).toEqual(['platform']);
    const ns = await api.http.get('/api/v1/namespaces').set('Portus-Auth', u.auth).expect(200);
    expect(ns.body.map((n: { name: string }) => n.name)).toEqual(expect.arrayContaining(['infra', 'sam']));
    // ids keep counting after a restart: no reuse
    const v = await api.user('val');
    expect(v.id).toBeGreaterThan(u.id);
  });
});

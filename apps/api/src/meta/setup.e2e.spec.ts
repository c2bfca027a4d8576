import { startApi, type TestApi } from '../testing/harness';

// Several suites share a 2-core machine: set-up through the real HTTP stack can take seconds.
jest.setTimeout(60_000);

describe('GET /api/v1/meta/setup (first-run state, no auth)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({}, { bootstrap: false });
  });
  afterAll(() => api.close());

  it('says nothing exists on a fresh install, then users, then a registry, as they are created', async () => {
    expect((await api.http.get('/api/v1/meta/setup').expect(200)).body).toEqual({
      users: false,
      registry: false,
      // Portus's default: on.
      anonymous_browsing: true,
      ldap: false,
    });
    const boot = await api.http
      .post('/api/v1/users/bootstrap')
      .send({ user: { username: 'admin', email: 'admin@example.com', password: 'password1234' } })
      .expect(201);
    expect((await api.http.get('/api/v1/meta/setup').expect(200)).body).toMatchObject({ users: true, registry: false });
    await api.http
      .post('/api/v1/registries')
      .set('Portus-Auth', `admin:${boot.body.plain_token}`)
      .send({ registry: { name: 'main', hostname: 'registry.test:5000', use_ssl: false }, force: true })
      .expect(201);
    expect((await api.http.get('/api/v1/meta/setup').expect(200)).body).toMatchObject({ users: true, registry: true });
  });

  it('documents the UI endpoints in OpenAPI', async () => {
    const spec = await api.http.get('/api/openapi.json').expect(200);
    const operations = (path: string) => Object.keys(spec.body.paths[path] ?? {});
    expect(operations('/api/v1/meta/setup')).toEqual(['get']);
    expect(operations('/api/v1/users/lookup')).toEqual(['get']);
    expect(operations('/api/v1/activities')).toEqual(['get']);
    expect(operations('/api/v1/activities.csv')).toEqual(['get']);
    expect(operations('/api/v1/search')).toEqual(['get']);
    expect(operations('/api/v1/explore/repositories')).toEqual(['get']);
    expect(operations('/api/v1/repositories/{id}/star').sort()).toEqual(['delete', 'put']);
    expect(spec.body.paths['/api/v1/activities.csv'].get.summary).toMatch(/CSV/);
  });

  it('reports anonymous browsing as configured', async () => {
    await api.restart({ PORTCULLIS_ANONYMOUS_BROWSING_ENABLED: 'false' });
    expect((await api.http.get('/api/v1/meta/setup').expect(200)).body).toEqual({
      users: true,
      registry: true,
      anonymous_browsing: false,
      ldap: false,
    });
  });
});

import { expectProblem, startApi, type TestApi } from '../testing/harness';
import { searchWorldForTests, type SearchWorldForTests } from '../testing/search-world';

// Several suites share a 2-core machine: set-up through the real HTTP stack can take seconds.
jest.setTimeout(60_000);

describe('GET /api/v1/search', () => {
  let api: TestApi;
  let world: SearchWorldForTests;

  const find = async (query: string, auth?: string) => {
    const req = api.http.get(`/api/v1/search?${query}`);
    const res = await (auth ? req.set('Portus-Auth', auth) : req).expect(200);
    return res;
  };
  const names = async (query: string, auth?: string) =>
    (await find(query, auth)).body.map((h: { type: string; full_name: string }) => `${h.type}:${h.full_name}`);

  beforeAll(async () => {
    api = await startApi();
    world = await searchWorldForTests(api);
  });
  afterAll(() => api.close());

  it('finds repositories a user may pull: public, protected and her team’s, never another team’s private ones', async () => {
    expect(await names('q=APP&type=repositories', world.uma.auth)).toEqual([
      'repositories:olaf-protected/app',
      'repositories:olaf-public/app',
      'repositories:uma-ns/app',
    ]);
    expect(await names('q=app&type=repositories', world.olaf.auth)).toEqual([
      'repositories:olaf-private/app-secret',
      'repositories:olaf-protected/app',
      'repositories:olaf-public/app',
    ]);
    expect(await names('q=secret&type=repositories', world.uma.auth)).toEqual([]);
  });

  it('agrees with the repositories list', async () => {
    const list = await api.http.get('/api/v1/repositories?search=app').set('Portus-Auth', world.uma.auth).expect(200);
    expect(list.body.map((r: { full_name: string }) => `repositories:${r.full_name}`).sort()).toEqual(
      await names('q=app&type=repositories', world.uma.auth),
    );
  });

  it('answers hits with type, id, name, full_name and description', async () => {
    const [hit] = (await find('q=olafs&type=teams', world.olaf.auth)).body;
    expect(hit).toEqual({
      type: 'teams',
      id: expect.any(Number),
      name: 'olafs',
      full_name: 'olafs',
      description: 'olaf and friends',
    });
    const [repo] = (await find('q=uma-ns&type=repositories', world.uma.auth)).body;
    // Repository hits name the registry's pull host (external hostname, else hostname) for pull commands.
    const [registry] = (await api.http.get('/api/v1/registries').set('Portus-Auth', api.admin)).body;
    expect(repo).toMatchObject({
      type: 'repositories',
      name: 'app',
      full_name: 'uma-ns/app',
      registry_hostname: registry.external_hostname || registry.hostname,
    });
    expect(repo.registry_hostname).toBeTruthy();
  });

  it('finds namespaces and teams under their own visibility; hidden personal teams never', async () => {
    expect(await names('q=olaf&type=namespaces', world.uma.auth)).toEqual([
      'namespaces:olaf-protected',
      'namespaces:olaf-public',
    ]);
    expect(await names('q=olaf&type=teams', world.uma.auth)).toEqual([]);
    expect(await names('q=uma&type=teams', world.uma.auth)).toEqual(['teams:umas']);
    expect(await names('q=uma&type=teams', api.admin)).toEqual(['teams:umas']);
  });

  it('searches every type when none is given, paging across them with headers', async () => {
    expect(await names('q=olaf', world.uma.auth)).toEqual([
      'namespaces:olaf-protected',
      'namespaces:olaf-public',
      'repositories:olaf-protected/app',
      'repositories:olaf-public/app',
    ]);
    const first = await find('q=olaf&per_page=3&page=1', world.uma.auth);
    const second = await find('q=olaf&per_page=3&page=2', world.uma.auth);
    expect(first.body.map((h: { full_name: string }) => h.full_name)).toEqual([
      'olaf-protected',
      'olaf-public',
      'olaf-protected/app',
    ]);
    expect(second.body.map((h: { full_name: string }) => h.full_name)).toEqual(['olaf-public/app']);
    expect(first.headers['x-total']).toBe('4');
    expect(first.headers['x-total-pages']).toBe('2');
  });

  it('treats LIKE wildcards as text', async () => {
    expect(await names('q=%25', api.admin)).toEqual([]);
    // `_` matches only names that contain one (the global namespace), not every one-character name.
    expect(await names('q=_', api.admin)).toEqual(['namespaces:portus_global_namespace_1']);
  });

  it('lets anonymous callers search public namespaces and their repositories while anonymous browsing is on', async () => {
    expect(await names('q=app')).toEqual(['repositories:olaf-public/app']);
    expect(await names('q=olafs&type=teams')).toEqual([]);
  });

  it.each([
    ['no q', 'type=teams'],
    ['a blank q', 'q=%20'],
    ['an unknown type', 'q=a&type=users'],
    ['an unknown parameter', 'q=a&owner=x'],
    ['a bad page size', 'q=a&per_page=0'],
  ])('answers 422 for %s', async (_label, query) => {
    expectProblem(await api.http.get(`/api/v1/search?${query}`).set('Portus-Auth', world.uma.auth), 422);
  });

  it('answers 401 to anonymous callers when anonymous browsing is off', async () => {
    await api.restart({ PORTCULLIS_ANONYMOUS_BROWSING_ENABLED: 'false' });
    expectProblem(await api.http.get('/api/v1/search?q=app'), 401);
    expect(await names('q=app&type=repositories', world.uma.auth)).toHaveLength(3);
  });
});

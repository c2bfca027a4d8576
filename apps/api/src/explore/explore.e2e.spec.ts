import { expectProblem, startApi, type TestApi } from '../testing/harness';
import { searchWorldForTests, type SearchWorldForTests } from '../testing/search-world';

// Several suites share a 2-core machine: set-up through the real HTTP stack can take seconds.
jest.setTimeout(60_000);

describe('GET /api/v1/explore/repositories', () => {
  let api: TestApi;
  let world: SearchWorldForTests;

  const names = async (query = '', auth?: string) => {
    const req = api.http.get(`/api/v1/explore/repositories${query}`);
    const res = await (auth ? req.set('Portus-Auth', auth) : req).expect(200);
    return res.body.map((r: { full_name: string }) => r.full_name);
  };

  beforeAll(async () => {
    api = await startApi();
    world = await searchWorldForTests(api);
  });
  afterAll(() => api.close());

  it('shows anonymous visitors the repositories of public namespaces only', async () => {
    expect(await names()).toEqual(['olaf-public/app']);
    const res = await api.http.get('/api/v1/explore/repositories').expect(200);
    const [registry] = (await api.http.get('/api/v1/registries').set('Portus-Auth', api.admin)).body;
    expect(res.body[0]).toMatchObject({
      full_name: 'olaf-public/app',
      starred: false,
      destroyable: false,
      registry_hostname: registry.hostname,
    });
    expect(registry.hostname).toBeTruthy();
    expect(res.headers['x-total']).toBe('1');
  });

  it('shows signed-in users the same public repositories, whatever else they may pull', async () => {
    expect(await names('', world.uma.auth)).toEqual(['olaf-public/app']);
    expect(await names('', world.olaf.auth)).toEqual(['olaf-public/app']);
  });

  it('searches by name', async () => {
    expect(await names('?search=PUBLIC')).toEqual(['olaf-public/app']);
    expect(await names('?search=private')).toEqual([]);
  });

  it('answers 422 for bad paging', async () => {
    expectProblem(await api.http.get('/api/v1/explore/repositories?per_page=0'), 422);
  });

  it('answers 401 to anonymous visitors when anonymous browsing is off, and still serves signed-in users', async () => {
    await api.restart({ PORTCULLIS_ANONYMOUS_BROWSING_ENABLED: 'false' });
    expectProblem(await api.http.get('/api/v1/explore/repositories'), 401);
    expect(await names('', world.uma.auth)).toEqual(['olaf-public/app']);
  });
});

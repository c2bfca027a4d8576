import { EVENT_STORE, type EventStore } from '@portcullis/persistence';
import { starStreamId } from '@portcullis/domain';
import { expectProblem, startApi, type TestApi } from '../testing/harness';
import { pushForTests } from '../testing/registry-push';

// Several suites share a 2-core machine: set-up through the real HTTP stack can take seconds.
jest.setTimeout(60_000);

describe('stars: PUT/DELETE /api/v1/repositories/:id/star, stars/starred, ?starred=true', () => {
  let api: TestApi;
  let uma: { id: number; auth: string };
  let olaf: { id: number; auth: string };
  let publicRepo: number;
  let privateRepo: number;
  let publicNs: number;

  const show = async (id: number, auth: string) =>
    (await api.http.get(`/api/v1/repositories/${id}`).set('Portus-Auth', auth).expect(200)).body;
  const starred = async (auth: string) =>
    (await api.http.get('/api/v1/repositories?starred=true').set('Portus-Auth', auth).expect(200)).body.map(
      (r: { full_name: string }) => r.full_name,
    );
  const starEvents = async (userId: number) =>
    (await api.app.get<EventStore>(EVENT_STORE).readStream(starStreamId(userId))).map((e) => e.type);

  beforeAll(async () => {
    api = await startApi();
    uma = await api.user('uma');
    olaf = await api.user('olaf');
    await api.http.post('/api/v1/teams').set('Portus-Auth', olaf.auth).send({ name: 'olafs' }).expect(201);
    await api.http
      .post('/api/v1/namespaces')
      .set('Portus-Auth', olaf.auth)
      .send({ name: 'olaf-private', team: 'olafs' })
      .expect(201);
    publicNs = (
      await api.http
        .post('/api/v1/namespaces')
        .set('Portus-Auth', olaf.auth)
        .send({ name: 'olaf-public', team: 'olafs' })
        .expect(201)
    ).body.id;
    await api.http
      .put(`/api/v1/namespaces/${publicNs}`)
      .set('Portus-Auth', olaf.auth)
      .send({ namespace: { visibility: 'public' } })
      .expect(200);
    publicRepo = await pushForTests(api, 'olaf-public/app', 'v1', 'olaf');
    privateRepo = await pushForTests(api, 'olaf-private/app', 'v1', 'olaf');
  });
  afterAll(() => api.close());

  it('answers 401 to anonymous callers', async () => {
    expectProblem(await api.http.put(`/api/v1/repositories/${publicRepo}/star`), 401);
    expectProblem(await api.http.delete(`/api/v1/repositories/${publicRepo}/star`), 401);
  });

  it('answers 404 for an unknown repository and 403 for one the caller cannot see', async () => {
    expectProblem(await api.http.put('/api/v1/repositories/424242/star').set('Portus-Auth', uma.auth), 404);
    expectProblem(await api.http.delete('/api/v1/repositories/424242/star').set('Portus-Auth', uma.auth), 404);
    expectProblem(await api.http.put(`/api/v1/repositories/${privateRepo}/star`).set('Portus-Auth', uma.auth), 403);
    expect(await starEvents(uma.id)).toEqual([]);
  });

  it('stars once: a second star answers 204 and records nothing; the count and the caller’s flag show it', async () => {
    expect((await show(publicRepo, uma.auth)).stars).toBe(0);
    await api.http.put(`/api/v1/repositories/${publicRepo}/star`).set('Portus-Auth', uma.auth).expect(204);
    await api.http.put(`/api/v1/repositories/${publicRepo}/star`).set('Portus-Auth', uma.auth).expect(204);
    expect(await starEvents(uma.id)).toEqual(['RepositoryStarred']);
    expect(await show(publicRepo, uma.auth)).toMatchObject({ stars: 1, starred: true });
    expect(await show(publicRepo, olaf.auth)).toMatchObject({ stars: 1, starred: false });
    await api.http.put(`/api/v1/repositories/${publicRepo}/star`).set('Portus-Auth', olaf.auth).expect(204);
    expect(await show(publicRepo, uma.auth)).toMatchObject({ stars: 2, starred: true });
    const inNamespace = await api.http
      .get(`/api/v1/namespaces/${publicNs}/repositories`)
      .set('Portus-Auth', uma.auth)
      .expect(200);
    expect(inNamespace.body).toEqual([expect.objectContaining({ id: publicRepo, stars: 2, starred: true })]);
  });

  it('lists the caller’s stars with ?starred=true, and refuses a starred value that is no boolean', async () => {
    expect(await starred(uma.auth)).toEqual(['olaf-public/app']);
    await api.http.put(`/api/v1/repositories/${privateRepo}/star`).set('Portus-Auth', olaf.auth).expect(204);
    expect((await starred(olaf.auth)).sort()).toEqual(['olaf-private/app', 'olaf-public/app']);
    expect(await starred(api.admin)).toEqual([]);
    const all = await api.http.get('/api/v1/repositories?starred=false').set('Portus-Auth', uma.auth).expect(200);
    expect(all.body.map((r: { full_name: string }) => r.full_name)).toEqual(['olaf-public/app']);
    expectProblem(await api.http.get('/api/v1/repositories?starred=yes').set('Portus-Auth', uma.auth), 422);
  });

  it('unstars once: a second unstar answers 204 and records nothing', async () => {
    await api.http.delete(`/api/v1/repositories/${publicRepo}/star`).set('Portus-Auth', uma.auth).expect(204);
    await api.http.delete(`/api/v1/repositories/${publicRepo}/star`).set('Portus-Auth', uma.auth).expect(204);
    expect(await starEvents(uma.id)).toEqual(['RepositoryStarred', 'RepositoryUnstarred']);
    expect(await show(publicRepo, uma.auth)).toMatchObject({ stars: 1, starred: false });
    expect(await starred(uma.auth)).toEqual([]);
  });

  it('hides a star whose repository turned private, but lets the user remove it', async () => {
    await api.http.put(`/api/v1/repositories/${publicRepo}/star`).set('Portus-Auth', uma.auth).expect(204);
    await api.http
      .put(`/api/v1/namespaces/${publicNs}`)
      .set('Portus-Auth', olaf.auth)
      .send({ namespace: { visibility: 'private' } })
      .expect(200);
    expect(await starred(uma.auth)).toEqual([]);
    expectProblem(await api.http.get(`/api/v1/repositories/${publicRepo}`).set('Portus-Auth', uma.auth), 403);
    await api.http.delete(`/api/v1/repositories/${publicRepo}/star`).set('Portus-Auth', uma.auth).expect(204);
    expect((await starEvents(uma.id)).slice(-1)).toEqual(['RepositoryUnstarred']);
  });
});

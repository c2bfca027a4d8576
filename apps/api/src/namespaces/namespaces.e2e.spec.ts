import { expectProblem, startApi, type TestApi } from '../testing/harness';
import { pushForTests } from '../testing/registry-push';

describe('namespaces API (/api/v1/namespaces)', () => {
  let api: TestApi;
  let owner: { id: number; auth: string };
  let viewer: { id: number; auth: string };
  let outsider: { id: number; auth: string };
  let nsId: number;

  beforeAll(async () => {
    api = await startApi();
    owner = await api.user('nora');
    viewer = await api.user('vic');
    outsider = await api.user('oscar');
    await api.http.post('/api/v1/teams').set('Portus-Auth', owner.auth).send({ name: 'devs' }).expect(201);
    const team = (await api.http.get('/api/v1/teams').set('Portus-Auth', owner.auth)).body[0];
    await api.http
      .post(`/api/v1/teams/${team.id}/members`)
      .set('Portus-Auth', owner.auth)
      .send({ user: 'vic', role: 'viewer' })
      .expect(201);
    const res = await api.http
      .post('/api/v1/namespaces')
      .set('Portus-Auth', owner.auth)
      .send({ name: 'backend', team: 'devs', description: 'APIs' })
      .expect(201);
    nsId = res.body.id;
  });
  afterAll(() => api.close());

  it('creates a private team namespace; name grammar, uniqueness and team checks', async () => {
    const ns = await api.http.get(`/api/v1/namespaces/${nsId}`).set('Portus-Auth', owner.auth).expect(200);
    expect(ns.body).toMatchObject({
      name: 'backend',
      visibility: 'private',
      global: false,
      description: 'APIs',
      team: { name: 'devs', hidden: false },
    });
    expectProblem(
      await api.http.post('/api/v1/namespaces').set('Portus-Auth', owner.auth).send({ name: 'backend', team: 'devs' }),
      409,
    );
    expectProblem(
      await api.http.post('/api/v1/namespaces').set('Portus-Auth', owner.auth).send({ name: 'Back End', team: 'devs' }),
      422,
      /lower case/,
    );
    expectProblem(
      await api.http.post('/api/v1/namespaces').set('Portus-Auth', owner.auth).send({ name: '../etc', team: 'devs' }),
      422,
    );
    expectProblem(
      await api.http.post('/api/v1/namespaces').set('Portus-Auth', owner.auth).send({ name: 'x', team: 'ghosts' }),
      404,
    );
    expectProblem(
      await api.http.post('/api/v1/namespaces').set('Portus-Auth', owner.auth).send({ name: 'x', team: 'nora' }),
      404,
    ); // hidden personal team
    expectProblem(
      await api.http.post('/api/v1/namespaces').set('Portus-Auth', viewer.auth).send({ name: 'viewers', team: 'devs' }),
      403,
    );
    expectProblem(await api.http.post('/api/v1/namespaces').send({ name: 'anon', team: 'devs' }), 401);
  });

  it('validates names', async () => {
    const ok = await api.http
      .get('/api/v1/namespaces/validate?name=frontend')
      .set('Portus-Auth', owner.auth)
      .expect(200);
    expect(ok.body).toEqual({ valid: true, messages: {} });
    const taken = await api.http
      .get('/api/v1/namespaces/validate?name=backend')
      .set('Portus-Auth', owner.auth)
      .expect(200);
    expect(taken.body.valid).toBe(false);
    const bad = await api.http.get('/api/v1/namespaces/validate?name=-bad-').set('Portus-Auth', owner.auth).expect(200);
    expect(bad.body).toMatchObject({ valid: false, messages: { name: [expect.any(String)] } });
    expectProblem(await api.http.get('/api/v1/namespaces/validate').set('Portus-Auth', owner.auth), 422);
    expectProblem(await api.http.get('/api/v1/namespaces/validate?name=x'), 401);
  });

  it('shows private namespaces to members and admins only; protected to every user; public to anyone', async () => {
    await api.http.get(`/api/v1/namespaces/${nsId}`).set('Portus-Auth', viewer.auth).expect(200);
    await api.http.get(`/api/v1/namespaces/${nsId}`).set('Portus-Auth', api.admin).expect(200);
    expectProblem(await api.http.get(`/api/v1/namespaces/${nsId}`).set('Portus-Auth', outsider.auth), 403);
    expectProblem(await api.http.get(`/api/v1/namespaces/${nsId}`), 401);
    await api.http
      .put(`/api/v1/namespaces/${nsId}`)
      .set('Portus-Auth', owner.auth)
      .send({ namespace: { visibility: 'protected' } })
      .expect(200);
    await api.http.get(`/api/v1/namespaces/${nsId}`).set('Portus-Auth', outsider.auth).expect(200);
    expectProblem(await api.http.get(`/api/v1/namespaces/${nsId}`), 401);
    await api.http
      .put(`/api/v1/namespaces/${nsId}`)
      .set('Portus-Auth', owner.auth)
      .send({ namespace: { visibility: 'public' } })
      .expect(200);
    await api.http.get(`/api/v1/namespaces/${nsId}`).expect(200);
    await api.http
      .put(`/api/v1/namespaces/${nsId}`)
      .set('Portus-Auth', owner.auth)
      .send({ namespace: { visibility: 'private' } })
      .expect(200);
    expectProblem(await api.http.get('/api/v1/namespaces/424242').set('Portus-Auth', api.admin), 404);
  });

  it('lists what each user may see, with search and paging', async () => {
    const mine = await api.http.get('/api/v1/namespaces').set('Portus-Auth', viewer.auth).expect(200);
    const names = mine.body.map((n: { name: string }) => n.name);
    expect(names).toEqual(expect.arrayContaining(['backend', 'vic']));
    expect(names).not.toContain('nora');
    const all = await api.http.get('/api/v1/namespaces?search=back').set('Portus-Auth', api.admin).expect(200);
    expect(all.body.map((n: { name: string }) => n.name)).toEqual(['backend']);
    const global = (await api.http.get('/api/v1/namespaces?all=true').set('Portus-Auth', outsider.auth)).body.find(
      (n: { global: boolean }) => n.global,
    );
    expect(global).toMatchObject({ name: 'registry.test:5000', visibility: 'public' });
    expectProblem(await api.http.get('/api/v1/namespaces?per_page=0').set('Portus-Auth', owner.auth), 422);
  });

  it('refuses visibility changes to viewers and a private global namespace to anyone', async () => {
    expectProblem(
      await api.http
        .put(`/api/v1/namespaces/${nsId}`)
        .set('Portus-Auth', viewer.auth)
        .send({ namespace: { visibility: 'public' } }),
      403,
    );
    expectProblem(
      await api.http
        .put(`/api/v1/namespaces/${nsId}`)
        .set('Portus-Auth', owner.auth)
        .send({ namespace: { visibility: 'secret' } }),
      422,
    );
    const global = (await api.http.get('/api/v1/namespaces?all=true').set('Portus-Auth', api.admin)).body.find(
      (n: { global: boolean }) => n.global,
    );
    expectProblem(
      await api.http
        .put(`/api/v1/namespaces/${global.id}`)
        .set('Portus-Auth', api.admin)
        .send({ namespace: { visibility: 'private' } }),
      422,
      /global/i,
    );
  });

  it('lets a user make the personal namespace public', async () => {
    const me = await api.http.get(`/api/v1/users/${owner.id}`).set('Portus-Auth', owner.auth).expect(200);
    const res = await api.http
      .put(`/api/v1/namespaces/${me.body.namespace_id}`)
      .set('Portus-Auth', owner.auth)
      .send({ namespace: { visibility: 'public' } })
      .expect(200);
    expect(res.body.visibility).toBe('public');
  });

  it('changes description, name and team', async () => {
    await api.http.post('/api/v1/teams').set('Portus-Auth', owner.auth).send({ name: 'ops' }).expect(201);
    const res = await api.http
      .put(`/api/v1/namespaces/${nsId}`)
      .set('Portus-Auth', owner.auth)
      .send({ namespace: { description: 'Backend services', name: 'backend-svc', team: 'ops' } })
      .expect(200);
    expect(res.body).toMatchObject({ name: 'backend-svc', description: 'Backend services', team: { name: 'ops' } });
    expectProblem(
      await api.http
        .put(`/api/v1/namespaces/${nsId}`)
        .set('Portus-Auth', owner.auth)
        .send({ namespace: { team: 'nowhere' } }),
      404,
    );
    expectProblem(
      await api.http
        .put(`/api/v1/namespaces/${nsId}`)
        .set('Portus-Auth', owner.auth)
        .send({ namespace: { name: 'UPPER' } }),
      422,
    );
    // the old name is free again
    await api.http
      .post('/api/v1/namespaces')
      .set('Portus-Auth', owner.auth)
      .send({ name: 'backend', team: 'ops' })
      .expect(201);
  });

  it('deletes team namespaces (owner), never personal or global ones', async () => {
    const res = await api.http
      .post('/api/v1/namespaces')
      .set('Portus-Auth', owner.auth)
      .send({ name: 'scratch', team: 'ops' })
      .expect(201);
    expectProblem(await api.http.delete(`/api/v1/namespaces/${res.body.id}`).set('Portus-Auth', outsider.auth), 403);
    await api.http.delete(`/api/v1/namespaces/${res.body.id}`).set('Portus-Auth', owner.auth).expect(204);
    expectProblem(await api.http.get(`/api/v1/namespaces/${res.body.id}`).set('Portus-Auth', owner.auth), 404);
    const me = await api.http.get(`/api/v1/users/${owner.id}`).set('Portus-Auth', owner.auth).expect(200);
    expectProblem(
      await api.http.delete(`/api/v1/namespaces/${me.body.namespace_id}`).set('Portus-Auth', owner.auth),
      422,
      /personal/,
    );
    const global = (await api.http.get('/api/v1/namespaces?all=true').set('Portus-Auth', api.admin)).body.find(
      (n: { global: boolean }) => n.global,
    );
    expectProblem(await api.http.delete(`/api/v1/namespaces/${global.id}`).set('Portus-Auth', api.admin), 403);
  });

  it('lists repositories of a visible namespace (empty before any push)', async () => {
    const res = await api.http
      .get(`/api/v1/namespaces/${nsId}/repositories`)
      .set('Portus-Auth', owner.auth)
      .expect(200);
    expect(res.body).toEqual([]);
    expectProblem(await api.http.get(`/api/v1/namespaces/${nsId}/repositories`).set('Portus-Auth', outsider.auth), 403);
  });

  it('pages a namespace’s repositories by name (search, X-Total, Link) with the registry’s pull host', async () => {
    const ns = (
      await api.http.post('/api/v1/namespaces').set('Portus-Auth', owner.auth).send({ name: 'paged', team: 'devs' })
    ).body;
    for (const name of ['web', 'api', 'worker']) await pushForTests(api, `paged/${name}`, 'v1', 'nora');
    const path = `/api/v1/namespaces/${ns.id}/repositories`;
    const first = await api.http.get(`${path}?per_page=2`).set('Portus-Auth', owner.auth).expect(200);
    expect(first.body.map((r: { full_name: string }) => r.full_name)).toEqual(['paged/api', 'paged/web']);
    expect(first.headers).toMatchObject({ 'x-total': '3', 'x-page': '1', 'x-per-page': '2', 'x-total-pages': '2' });
    expect(first.headers['link']).toContain(`<${path}?per_page=2&page=2>; rel="next"`);
    const second = await api.http.get(`${path}?per_page=2&page=2`).set('Portus-Auth', owner.auth).expect(200);
    expect(second.body.map((r: { full_name: string }) => r.full_name)).toEqual(['paged/worker']);
    // Without paging parameters: the first page at the configured per_page, which holds all three here.
    const all = await api.http.get(path).set('Portus-Auth', owner.auth).expect(200);
    expect(all.body.map((r: { name: string }) => r.name)).toEqual(['api', 'web', 'worker']);
    const found = await api.http.get(`${path}?search=WOR`).set('Portus-Auth', owner.auth).expect(200);
    expect(found.body.map((r: { name: string }) => r.name)).toEqual(['worker']);
    expect(found.headers['x-total']).toBe('1');
    expectProblem(await api.http.get(`${path}?per_page=0`).set('Portus-Auth', owner.auth), 422);

    // registry_hostname: the registry's hostname, then its external hostname once one is set.
    const [registry] = (await api.http.get('/api/v1/registries').set('Portus-Auth', api.admin).expect(200)).body;
    expect(all.body[0]).toMatchObject({ registry_id: registry.id, registry_hostname: registry.hostname });
    await api.http
      .put(`/api/v1/registries/${registry.id}`)
      .set('Portus-Auth', api.admin)
      .send({ registry: { external_hostname: 'pull.example.com' }, force: true })
      .expect(200);
    const after = await api.http.get(`${path}?per_page=1`).set('Portus-Auth', owner.auth).expect(200);
    expect(after.body[0].registry_hostname).toBe('pull.example.com');
    const detail = await api.http.get(`/api/v1/repositories/${after.body[0].id}`).set('Portus-Auth', owner.auth);
    expect(detail.body.registry_hostname).toBe('pull.example.com');
  });
});

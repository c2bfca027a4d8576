import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expectProblem, startApi, type TestApi } from '../testing/harness';

describe('registries API (/api/v1/registries)', () => {
  let api: TestApi;
  let user: { id: number; auth: string };

  beforeAll(async () => {
    api = await startApi({}, { registry: false });
    user = await api.user('rita');
  });
  afterAll(() => api.close());

  it('is admin only (401/403)', async () => {
    expectProblem(await api.http.get('/api/v1/registries'), 401);
    expectProblem(await api.http.get('/api/v1/registries').set('Portus-Auth', user.auth), 403);
    expectProblem(
      await api.http
        .post('/api/v1/registries')
        .set('Portus-Auth', user.auth)
        .send({ registry: { name: 'r', hostname: 'h:5000', use_ssl: false } }),
      403,
    );
  });

  it('refuses an unreachable registry with the reason, unless forced', async () => {
    // Port 1 on loopback: nothing listens there, so the refusal is real, not simulated.
    const res = await api.http
      .post('/api/v1/registries')
      .set('Portus-Auth', api.admin)
      .send({ registry: { name: 'main', hostname: '127.0.0.1:1', use_ssl: false } });
    expectProblem(res, 422, /connection refused/);
    const v = await api.http
      .get('/api/v1/registries/validate?name=main&hostname=127.0.0.1:1&use_ssl=false')
      .set('Portus-Auth', api.admin)
      .expect(200);
    expect(v.body).toMatchObject({ valid: false, messages: { hostname: [expect.stringMatching(/refused/)] } });
  });

  it('says why a server that is not a registry is refused', async () => {
    const server: Server = createServer((_req, res) => res.writeHead(200).end('hello'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const v = await api.http
        .get(`/api/v1/registries/validate?name=main&hostname=127.0.0.1:${port}&use_ssl=false`)
        .set('Portus-Auth', api.admin)
        .expect(200);
      expect(v.body.messages.hostname[0]).toMatch(/not a registry/);
    } finally {
      server.close();
    }
  });

  it('validates fields (422) including hostile hostnames', async () => {
    for (const hostname of ['http://evil.example/', 'a b', 'host:99999', 'host/path', '']) {
      const res = await api.http
        .post('/api/v1/registries')
        .set('Portus-Auth', api.admin)
        .send({ registry: { name: 'main', hostname, use_ssl: false }, force: true });
      expectProblem(res, 422);
    }
    expectProblem(
      await api.http
        .post('/api/v1/registries')
        .set('Portus-Auth', api.admin)
        .send({ registry: { name: 'main', hostname: 'h:5000' } }),
      422,
    );
  });

  it('creates the registry with global and personal namespaces; only one registry', async () => {
    const res = await api.http
      .post('/api/v1/registries')
      .set('Portus-Auth', api.admin)
      .send({
        registry: {
          name: 'main',
          hostname: 'registry.local:5000',
          use_ssl: false,
          external_hostname: 'registry.example.com',
        },
        force: true,
      })
      .expect(201);
    expect(res.body).toMatchObject({
      name: 'main',
      hostname: 'registry.local:5000',
      use_ssl: false,
      external_hostname: 'registry.example.com',
    });
    const list = await api.http.get('/api/v1/registries').set('Portus-Auth', api.admin).expect(200);
    expect(list.body).toHaveLength(1);
    // rita existed before the registry: she gets her personal namespace now (Portus's create_namespaces!)
    const rita = await api.http.get(`/api/v1/users/${user.id}`).set('Portus-Auth', user.auth).expect(200);
    expect(rita.body.namespace_id).toEqual(expect.any(Number));
    const all = await api.http.get('/api/v1/namespaces?all=true').set('Portus-Auth', api.admin).expect(200);
    expect(all.body.find((n: { global: boolean }) => n.global)).toMatchObject({
      name: 'registry.example.com',
      visibility: 'public',
    });
    expectProblem(
      await api.http
        .post('/api/v1/registries')
        .set('Portus-Auth', api.admin)
        .send({ registry: { name: 'second', hostname: 'other:5000', use_ssl: false }, force: true }),
      422,
      /one registry/i,
    );
  });

  it('updates the registry; 404 for unknown ids', async () => {
    const [reg] = (await api.http.get('/api/v1/registries').set('Portus-Auth', api.admin)).body;
    const res = await api.http
      .put(`/api/v1/registries/${reg.id}`)
      .set('Portus-Auth', api.admin)
      .send({ registry: { name: 'primary', use_ssl: true }, force: true })
      .expect(200);
    expect(res.body).toMatchObject({ name: 'primary', use_ssl: true });
    expectProblem(
      await api.http
        .put('/api/v1/registries/99')
        .set('Portus-Auth', api.admin)
        .send({ registry: { name: 'x' }, force: true }),
      404,
    );
    expectProblem(
      await api.http
        .put(`/api/v1/registries/${reg.id}`)
        .set('Portus-Auth', user.auth)
        .send({ registry: { name: 'x' } }),
      403,
    );
  });
});

import { parse as parseYaml } from 'yaml';
import { expectProblem, startApi, type TestApi } from '../testing/harness';
import { NotificationSecrets } from './notification-secrets';

describe('registry config (GET /api/v1/registries/:id/config)', () => {
  let api: TestApi;
  let user: { id: number; auth: string };
  let registryId: number;

  beforeAll(async () => {
    api = await startApi();
    user = await api.user('rita');
    registryId = (await api.http.get('/api/v1/registries').set('Portus-Auth', api.admin)).body[0].id;
  });
  afterAll(() => api.close());

  it('is admin only; unknown registry 404', async () => {
    expectProblem(await api.http.get(`/api/v1/registries/${registryId}/config`), 401);
    expectProblem(await api.http.get(`/api/v1/registries/${registryId}/config`).set('Portus-Auth', user.auth), 403);
    expectProblem(await api.http.get('/api/v1/registries/99/config').set('Portus-Auth', api.admin), 404);
    expectProblem(
      await api.http.get(`/api/v1/registries/${registryId}/config?listen=a%20b`).set('Portus-Auth', api.admin),
      422,
    );
  });

  it('writes a complete distribution 2.8 config whose secret identifies this registry', async () => {
    const res = await api.http
      .get(`/api/v1/registries/${registryId}/config?portcullis_url=http://127.0.0.1:3000&listen=127.0.0.1:5055`)
      .set('Portus-Auth', api.admin)
      .expect(200);
    const config = parseYaml(res.body.files['config.yml']);
    expect(config).toMatchObject({
      version: 0.1,
      storage: { delete: { enabled: true } },
      http: { addr: '127.0.0.1:5055' },
      auth: {
        token: {
          realm: 'http://127.0.0.1:3000/v2/token',
          service: 'registry.test:5000',
          issuer: api.config.machineFqdn,
          rootcertbundle: '/etc/docker/registry/portcullis-bundle.crt',
        },
      },
      notifications: {
        events: { includereferences: true },
        endpoints: [
          {
            url: 'http://127.0.0.1:3000/v2/webhooks/events',
            ignoredmediatypes: ['application/octet-stream'],
            ignore: { mediatypes: ['application/octet-stream'], actions: [] },
          },
        ],
      },
    });
    const [authorization] = config.notifications.endpoints[0].headers.Authorization;
    expect(api.app.get(NotificationSecrets).identify(authorization, [registryId, registryId + 1])).toBe(registryId);
    expect(res.body.files['portcullis-bundle.crt']).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, type TestApi } from '../testing/harness';
import {
  eventually,
  freePort,
  ociLayout,
  realRegistryAvailable,
  skopeo as runSkopeo,
  startRegistry,
  type RunningRegistry,
} from '../testing/real-registry';
import { CatalogSync } from './catalog-sync';
import { NotificationSecrets } from './notification-secrets';

// The real thing: Debian's docker-registry (distribution 2.8) started from the config Portcullis generates,
// and skopeo pushing an OCI image built without Docker (registry-interop §2, §5). tools/test-all.sh installs
// both when they are missing; without them this suite says so and is skipped.
if (!realRegistryAvailable) process.stdout.write('registry.e2e: docker-registry or skopeo missing, suite skipped\n');
const suite = realRegistryAvailable ? describe : describe.skip;
jest.setTimeout(120_000);

const skopeo = (...args: string[]) => runSkopeo(args);

suite('real registry: docker-registry 2.8 from the generated config + skopeo', () => {
  let api: TestApi;
  let dir: string;
  let registry: RunningRegistry | null = null;
  let registryAddr: string;
  let alice: { id: number; auth: string };
  let registryId: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-registry-'));
    // The suite runs the catalog sync itself, when it has made the two sides differ.
    api = await startApi({
      PORTCULLIS_REGISTRY_PULLS_COALESCE_SECONDS: '1',
      PORTCULLIS_BACKGROUND_SYNC_ENABLED: 'false',
    });
    await api.app.listen(0, '127.0.0.1');
    const apiUrl = (await api.app.getUrl()).replace('[::1]', '127.0.0.1');
    registryAddr = `127.0.0.1:${await freePort()}`;
    const [reg] = (await api.http.get('/api/v1/registries').set('Portus-Auth', api.admin)).body;
    registryId = reg.id;
    await api.http
      .put(`/api/v1/registries/${reg.id}`)
      .set('Portus-Auth', api.admin)
      .send({ registry: { hostname: registryAddr }, force: true })
      .expect(200);
    alice = await api.user('alice');
    await api.http.post('/api/v1/teams').set('Portus-Auth', alice.auth).send({ name: 'devs' }).expect(201);
    await api.http
      .post('/api/v1/namespaces')
      .set('Portus-Auth', alice.auth)
      .send({ name: 'ns', team: 'devs' })
      .expect(201);

    const res = await api.http
      .get(`/api/v1/registries/${reg.id}/config`)
      .query({
        portcullis_url: apiUrl,
        listen: registryAddr,
        storage: join(dir, 'storage'),
        bundle_path: join(dir, 'portcullis-bundle.crt'),
      })
      .set('Portus-Auth', api.admin)
      .expect(200);
    writeFileSync(join(dir, 'config.yml'), res.body.files['config.yml'], { mode: 0o600 });
    writeFileSync(join(dir, 'portcullis-bundle.crt'), res.body.files['portcullis-bundle.crt']);
    registry = await startRegistry(join(dir, 'config.yml'), registryAddr);
  });

  afterAll(async () => {
    await registry?.stop();
    await api?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const repoNamed = async (fullName: string) => {
    const list = await api.http.get('/api/v1/repositories?all=true').set('Portus-Auth', api.admin).expect(200);
    return (list.body as Array<{ id: number; full_name: string }>).find((r) => r.full_name === fullName);
  };
  const tagsOf = async (id: number) =>
    (await api.http.get(`/api/v1/repositories/${id}/tags`).set('Portus-Auth', alice.auth)).body as Array<{
      id: number;
      name: string;
      digest: string;
      size: number;
      author: { id: number; name: string };
      pulled_at: string | null;
    }>;

  it('a push shows up with digest, size and author; a pull marks it pulled', async () => {
    const image = join(dir, 'image-1');
    const { digest, imageSize } = ociLayout(image, 'v1');
    const push = await skopeo(
      'copy',
      '--dest-tls-verify=false',
      '--dest-creds',
      'alice:password1234',
      `oci:${image}:v1`,
      `docker://${registryAddr}/ns/app:v1`,
    );
    expect(push).toMatchObject({ status: 0 });
    const repo = await eventually(() => repoNamed('ns/app'));
    expect(repo).toMatchObject({ registry_hostname: registryAddr });
    const [tag] = await eventually(async () => ((await tagsOf(repo.id)).length ? tagsOf(repo.id) : null));
    expect(tag).toMatchObject({ name: 'v1', digest, size: imageSize, author: { id: alice.id, name: 'alice' } });

    const pulled = await skopeo(
      'inspect',
      '--tls-verify=false',
      '--creds',
      'alice:password1234',
      `docker://${registryAddr}/ns/app:v1`,
    );
    expect(pulled.status).toBe(0);
    await eventually(async () => (await tagsOf(repo.id))[0]?.pulled_at, 10_000);
  });

  it('DELETE /api/v1/tags/:id deletes the image in the registry, with every tag sharing its digest', async () => {
    const image = join(dir, 'image-2');
    const { digest } = ociLayout(image, 'v2');
    for (const tag of ['v2', 'stable']) {
      const push = await skopeo(
        'copy',
        '--dest-tls-verify=false',
        '--dest-creds',
        'alice:password1234',
        `oci:${image}:v2`,
        `docker://${registryAddr}/ns/app:${tag}`,
      );
      expect(push).toMatchObject({ status: 0 });
    }
    const repo = await eventually(() => repoNamed('ns/app'));
    const tags = await eventually(async () => {
      const t = (await tagsOf(repo.id)).filter((x) => x.digest === digest);
      return t.length === 2 ? t : null;
    });
    const res = await api.http.delete(`/api/v1/tags/${tags[0].id}`).set('Portus-Auth', alice.auth).expect(200);
    expect(res.body).toEqual({
      digests: [{ digest, tags: ['stable', 'v2'] }],
      tags: ['stable', 'v2'],
      repository_deleted: false,
    });
    expect((await tagsOf(repo.id)).map((t) => t.name)).toEqual(['v1']);
    const gone = await skopeo(
      'inspect',
      '--tls-verify=false',
      '--creds',
      'alice:password1234',
      `docker://${registryAddr}/ns/app:v2`,
    );
    expect(gone.status).not.toBe(0);
    expect(gone.out).toMatch(/manifest unknown/);
  });

  it('skopeo delete reaches Portcullis as a notification: the last tag and the repository go', async () => {
    const del = await skopeo(
      'delete',
      '--tls-verify=false',
      '--creds',
      'alice:password1234',
      `docker://${registryAddr}/ns/app:v1`,
    );
    expect(del).toMatchObject({ status: 0 });
    await eventually(async () => !(await repoNamed('ns/app')));
  });

  it('a push into a namespace the user may not push to is denied by the registry', async () => {
    const image = join(dir, 'image-3');
    ociLayout(image, 'x');
    const push = await skopeo(
      'copy',
      '--dest-tls-verify=false',
      '--dest-creds',
      'alice:password1234',
      `oci:${image}:x`,
      `docker://${registryAddr}/elsewhere/app:x`,
    );
    expect(push.status).not.toBe(0);
    expect(push.out).toMatch(/denied|unauthorized/);
    expect(readFileSync(join(dir, 'config.yml'), 'utf8')).toContain('/v2/webhooks/events');
  });

  it('the catalog sync compensates what notifications missed, and changes nothing when both agree', async () => {
    const image = join(dir, 'image-4');
    const { digest } = ociLayout(image, 'v1');
    const push = await skopeo(
      'copy',
      '--dest-tls-verify=false',
      '--dest-creds',
      'alice:password1234',
      `oci:${image}:v1`,
      `docker://${registryAddr}/ns/sync:v1`,
    );
    expect(push).toMatchObject({ status: 0 });
    const synced = await eventually(() => repoNamed('ns/sync'));
    // Make Portcullis disagree with the registry, as lost notifications would: a delete the registry never
    // did, and a push it never saw.
    const notify = (event: Record<string, unknown>) =>
      api.http
        .post('/v2/webhooks/events')
        .set('Authorization', api.app.get(NotificationSecrets).authorizationFor(registryId))
        .send({ events: [{ timestamp: new Date().toISOString(), ...event }] })
        .expect(202);
    await notify({
      id: 'lost-delete',
      action: 'delete',
      target: { repository: 'ns/sync', digest },
      actor: { name: 'x' },
    });
    await notify({
      id: 'phantom-push',
      action: 'push',
      target: {
        repository: 'ns/phantom',
        tag: 'v1',
        digest,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        references: [{ mediaType: 'application/vnd.oci.image.config.v1+json', size: 1, digest }],
      },
      actor: { name: 'alice' },
    });
    await eventually(async () => (await repoNamed('ns/phantom')) && !(await repoNamed('ns/sync')));

    const sync = api.app.get(CatalogSync);
    const ref = { id: registryId, hostname: registryAddr, useSsl: false };
    expect(await sync.run(ref, 'update-delete')).toEqual({ repositories: 2, discovered: 1, vanished: 1 });
    expect(await repoNamed('ns/phantom')).toBeUndefined();
    const back = await eventually(() => repoNamed('ns/sync'));
    expect(back.id).not.toBe(synced.id); // a new repository record: the old one's history stays as it was
    expect((await tagsOf(back.id))[0]).toMatchObject({ name: 'v1', digest, author: { id: null, name: 'portcullis' } });
    expect(await sync.run(ref, 'update-delete')).toEqual({ repositories: 0, discovered: 0, vanished: 0 });
  });
});

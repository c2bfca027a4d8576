import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startApi, type TestApi } from '../testing/harness';
import { CatalogSync } from './catalog-sync';
import { NotificationSecrets } from './notification-secrets';

// The real thing: Debian's docker-registry (distribution 2.8) started from the config Portcullis generates,
// and skopeo pushing an OCI image built without Docker (registry-interop §2, §5). tools/test-all.sh installs
// both when they are missing; without them this suite says so and is skipped.
const REGISTRY = '/usr/bin/docker-registry';
const SKOPEO = '/usr/bin/skopeo';
const available = existsSync(REGISTRY) && existsSync(SKOPEO);
if (!available) process.stdout.write('registry.e2e: docker-registry or skopeo missing, suite skipped\n');
const suite = available ? describe : describe.skip;
jest.setTimeout(120_000);

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** tarOf builds a one-file ustar archive (what a layer is), deterministic apart from the content. */
function tarOf(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const put = (text: string, offset: number, length: number) => header.write(text, offset, length, 'ascii');
  put(name, 0, 100);
  put('0000644\0', 100, 8);
  put('0000000\0', 108, 8);
  put('0000000\0', 116, 8);
  put(content.length.toString(8).padStart(11, '0') + '\0', 124, 12);
  put('00000000000\0', 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0' + '00', 257, 8);
  let sum = 0;
  for (const b of header) sum += b;
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  const pad = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, pad, Buffer.alloc(1024)]);
}

/** ociLayout writes an OCI image layout with one fresh random layer; returns its manifest digest and size. */
function ociLayout(dir: string, tag: string): { digest: string; imageSize: number } {
  mkdirSync(join(dir, 'blobs/sha256'), { recursive: true });
  const blob = (b: Buffer) => {
    writeFileSync(join(dir, 'blobs/sha256', sha256(b)), b);
    return { digest: `sha256:${sha256(b)}`, size: b.length };
  };
  const tar = tarOf('payload.bin', randomBytes(4096)); // fresh content: no cross-repo mount from skopeo's cache
  const layer = blob(gzipSync(tar));
  const config = blob(
    Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(tar)}`] },
      }),
    ),
  );
  const manifest = blob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
      }),
    ),
  );
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...manifest,
          annotations: { 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
  return { digest: manifest.digest, imageSize: config.size + layer.size };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function eventually<T>(probe: () => Promise<T | undefined | null | false>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** skopeo runs asynchronously: the token endpoint it calls lives in this very process. */
function skopeo(...args: string[]): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(SKOPEO, ['--insecure-policy', ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (status) => resolve({ status, out }));
  });
}

suite('real registry: docker-registry 2.8 from the generated config + skopeo', () => {
  let api: TestApi;
  let dir: string;
  let registry: ChildProcess | null = null;
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
    // A clean environment: REGISTRY_* variables would override the generated config.
    registry = spawn(REGISTRY, ['serve', join(dir, 'config.yml')], {
      env: { PATH: '/usr/bin:/bin' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    registry.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
    await eventually(async () => {
      if (registry?.exitCode !== null) throw new Error(`docker-registry exited: ${log}`);
      return fetch(`http://${registryAddr}/v2/`).then(
        (r) => r.status === 401,
        () => false,
      );
    });
  });

  afterAll(async () => {
    if (registry && registry.exitCode === null) {
      const exited = new Promise((r) => registry?.once('exit', r));
      process.kill(registry.pid as number, 'SIGTERM');
      await exited;
    }
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
    expect(res.body).toEqual({ digests: [{ digest, tags: ['stable', 'v2'] }], repository_deleted: false });
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

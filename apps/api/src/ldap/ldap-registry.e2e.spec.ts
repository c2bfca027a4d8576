import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, type TestApi } from '../testing/harness';
import {
  connectRegistry,
  eventually,
  ociLayout,
  realRegistryAvailable,
  skopeo,
  type ConnectedRegistry,
} from '../testing/real-registry';
import { ldapEnv, ldapSuite, requireLdapUrl } from '../testing/slapd';

// `docker login` with an LDAP password, the whole way: skopeo against the real docker-registry 2.8 served
// from the config Portcullis generates, the token endpoint asking the real slapd (tools/slapd, started by
// `npm test`). The user exists only in the directory until skopeo's first /v2/token call.
if (!realRegistryAvailable) process.stdout.write('ldap-registry.e2e: docker-registry or skopeo missing, skipped\n');
const suite = realRegistryAvailable ? ldapSuite('ldap-registry.e2e') : describe.skip;
jest.setTimeout(180_000);

suite('LDAP password through the real registry (slapd + docker-registry 2.8 + skopeo)', () => {
  let api: TestApi;
  let dir: string;
  let reg: ConnectedRegistry | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-ldap-registry-'));
    api = await startApi(ldapEnv(requireLdapUrl()));
    reg = await connectRegistry(api, dir);
  });
  afterAll(async () => {
    await reg?.registry.stop();
    await api?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const users = async () =>
    (await api.http.get('/api/v1/users').set('Portus-Auth', api.admin).query({ all: true }).expect(200)).body as Array<{
      id: number;
      username: string;
      admin: boolean;
      namespace_id: number | null;
    }>;
  const push = (creds: string, image: string, ref: string) =>
    skopeo(
      ['copy', '--dest-tls-verify=false', '--dest-creds', creds, `oci:${image}:v1`, `docker://${reg?.addr}/${ref}`],
      dir,
    );

  it('a wrong LDAP password cannot push, and creates no one', async () => {
    const image = join(dir, 'image-wrong');
    ociLayout(image, 'v1');
    const res = await push('alice:not-alices-password', image, 'alice/app:v1');
    expect(res.status).not.toBe(0);
    expect(res.out).toMatch(/unauthorized|authentication required|401/i);
    expect((await users()).map((u) => u.username)).not.toContain('alice');
  });

  it('skopeo pushes into the personal namespace with the LDAP password; user and namespace appear', async () => {
    expect((await users()).map((u) => u.username)).not.toContain('alice');
    const image = join(dir, 'image-1');
    const { digest } = ociLayout(image, 'v1');
    const res = await push('alice:alice-password', image, 'alice/app:v1');
    expect(res).toMatchObject({ status: 0 });

    // The first login made alice: not admin (the bootstrapped admin came first), with her own namespace.
    const alice = (await users()).find((u) => u.username === 'alice');
    expect(alice).toMatchObject({ admin: false, namespace_id: expect.any(Number) });
    const ns = await api.http
      .get(`/api/v1/namespaces/${alice?.namespace_id}`)
      .set('Portus-Auth', api.admin)
      .expect(200);
    expect(ns.body).toMatchObject({ name: 'alice', visibility: 'private', global: false });

    // …and the registry's notification put the image there, authored by her.
    const repo = await eventually(async () => {
      const list = await api.http.get('/api/v1/repositories?all=true').set('Portus-Auth', api.admin).expect(200);
      return (list.body as Array<{ id: number; full_name: string }>).find((r) => r.full_name === 'alice/app');
    });
    const [tag] = await eventually(async () => {
      const t = await api.http.get(`/api/v1/repositories/${repo.id}/tags`).set('Portus-Auth', api.admin);
      return (t.body as unknown[]).length ? (t.body as Array<Record<string, unknown>>) : null;
    });
    expect(tag).toMatchObject({ name: 'v1', digest, author: { id: alice?.id, name: 'alice' } });
  });

  it('the LDAP user may not push outside the personal namespace', async () => {
    const image = join(dir, 'image-2');
    ociLayout(image, 'v1');
    const res = await push('alice:alice-password', image, 'admin/app:v1');
    expect(res.status).not.toBe(0);
    expect(res.out).toMatch(/denied|unauthorized|authentication required/i);
  });
});

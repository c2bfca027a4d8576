import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, type TestApi } from '../testing/harness';
import {
  connectRegistry,
  ociLayoutOf,
  realRegistryAvailable,
  skopeo,
  type ConnectedRegistry,
  type SkopeoResult,
} from '../testing/real-registry';

// portus-reference §2.1–2.2 with the non-default settings, end to end through the real docker-registry 2.8 and
// skopeo: push under `user_permission.push_images.policy` allow-personal and admin-only, delete under
// `delete.enabled=false` and `delete.contributors=true`. The default policy is registry-matrix.e2e.spec.ts.
// One registry and one data dir for all four: the api restarts with each setting on the same port, so the
// registry's realm and notification URLs (and the signing key, kept in the data dir) stay valid.
if (!realRegistryAvailable)
  process.stdout.write('registry-matrix-settings.e2e: docker-registry or skopeo missing, skipped\n');
const suite = realRegistryAvailable ? describe : describe.skip;
jest.setTimeout(600_000);

const PASSWORD = 'password1234';
const ACTORS = ['anonymous', 'uma', 'olga', 'carl', 'vera', 'admin'] as const;
const COLUMNS = ['global', 'own personal', 'team', 'foreign private', 'foreign protected', 'foreign public'] as const;
type Actor = (typeof ACTORS)[number];
type Column = (typeof COLUMNS)[number];
type Op = 'push' | 'delete';
/** Rights lists, per actor, the columns where an operation is allowed; every other cell must be refused. */
type Rights = Record<Actor, readonly Column[]>;

const EVERYWHERE = COLUMNS;
const NOWHERE: readonly Column[] = [];

/**
 * VARIANTS are the settings and the cells they allow, written out from portus-reference §2.1–2.2 (not derived
 * from the code under test). uma has no team role, olga owns team T, carl contributes to it, vera views it.
 */
const VARIANTS: ReadonlyArray<{ name: string; env: Record<string, string>; op: Op; rights: Rights }> = [
  {
    // "allow-personal: admin, or your own personal namespace only" — owners and contributors lose push on T.
    name: 'push_images.policy=allow-personal',
    env: { PORTCULLIS_USER_PERMISSION_PUSH_IMAGES_POLICY: 'allow-personal' },
    op: 'push',
    rights: {
      anonymous: NOWHERE,
      uma: ['own personal'],
      olga: ['own personal'],
      carl: ['own personal'],
      vera: ['own personal'],
      admin: EVERYWHERE,
    },
  },
  {
    name: 'push_images.policy=admin-only',
    env: { PORTCULLIS_USER_PERMISSION_PUSH_IMAGES_POLICY: 'admin-only' },
    op: 'push',
    rights: { anonymous: NOWHERE, uma: NOWHERE, olga: NOWHERE, carl: NOWHERE, vera: NOWHERE, admin: EVERYWHERE },
  },
  {
    // "delete does not depend on the push policy": under admin-only, owners (personal and team) still delete.
    name: 'push_images.policy=admin-only (delete unchanged)',
    env: { PORTCULLIS_USER_PERMISSION_PUSH_IMAGES_POLICY: 'admin-only' },
    op: 'delete',
    rights: {
      anonymous: NOWHERE,
      uma: ['own personal'],
      olga: ['own personal', 'team'],
      carl: ['own personal'],
      vera: ['own personal'],
      admin: EVERYWHERE,
    },
  },
  {
    name: 'delete.enabled=false',
    env: { PORTCULLIS_DELETE_ENABLED: 'false' },
    op: 'delete',
    rights: { anonymous: NOWHERE, uma: NOWHERE, olga: NOWHERE, carl: NOWHERE, vera: NOWHERE, admin: NOWHERE },
  },
  {
    name: 'delete.contributors=true',
    env: { PORTCULLIS_DELETE_CONTRIBUTORS: 'true' },
    op: 'delete',
    rights: {
      anonymous: NOWHERE,
      uma: ['own personal'],
      olga: ['own personal', 'team'],
      carl: ['own personal', 'team'],
      vera: ['own personal'],
      admin: EVERYWHERE,
    },
  },
];

const repoOf = (actor: Actor, column: Column): string =>
  ({
    global: 'matrix',
    'own personal': `${actor}/app`,
    team: 'tteam/app',
    'foreign private': 'fpriv/app',
    'foreign protected': 'fprot/app',
    'foreign public': 'fpub/app',
  })[column];

/** CELLS are every actor × namespace cell (anonymous has no personal namespace). */
const CELLS = ACTORS.flatMap((actor) =>
  COLUMNS.filter((column) => actor !== 'anonymous' || column !== 'own personal').map((column) => ({ actor, column })),
);

/** outcome: 'ok', 'refused' (the registry's denied/unauthorized), or the unexpected error itself. */
function outcome(r: SkopeoResult): string {
  if (r.status === 0) return 'ok';
  if (/denied|unauthorized/i.test(r.out)) return 'refused';
  return `error: ${r.out.trim().split('\n').slice(-2).join(' | ')}`;
}

/** pool runs tasks `width` at a time (skopeo is a process per operation; the VM has two cores). */
async function pool<T>(tasks: Array<(worker: number) => Promise<T>>, width: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async (_, worker) => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i](worker);
      }
    }),
  );
  return results;
}

suite('permission matrix with non-default settings: docker-registry 2.8 + skopeo, every actor × namespace', () => {
  let api: TestApi;
  let dir: string;
  let reg: ConnectedRegistry;
  let layout: string;
  let port: number;
  const homes: string[] = [];
  const started = Date.now();

  const creds = (actor: Actor, flag: 'creds' | 'dest-creds') =>
    actor === 'anonymous' ? [`--${flag.replace('creds', 'no-creds')}`] : [`--${flag}`, `${actor}:${PASSWORD}`];
  const ref = (repo: string, tag: string) => `docker://${reg.addr}/${repo}:${tag}`;
  const copy = (actor: Actor, tag: string, repo: string, worker: number) =>
    skopeo(
      ['copy', '--dest-tls-verify=false', ...creds(actor, 'dest-creds'), `oci:${layout}:${tag}`, ref(repo, tag)],
      homes[worker],
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-matrix-settings-'));
    for (let i = 0; i < 4; i++) mkdirSync((homes[i] = join(dir, `home-${i}`)));
    // Rate limits are per client IP and every skopeo here is 127.0.0.1.
    api = await startApi({ PORTCULLIS_RATE_LIMIT_TOKEN_PER_MINUTE: '0', PORTCULLIS_BACKGROUND_SYNC_ENABLED: 'false' });
    reg = await connectRegistry(api, dir);
    port = Number(new URL(await api.app.getUrl()).port);
    const auth: Record<string, string> = {};
    for (const name of ['uma', 'olga', 'carl', 'vera', 'fred']) auth[name] = (await api.user(name)).auth;
    const team = async (owner: string, name: string, members: Array<[string, string]>, ns: string[]) => {
      await api.http.post('/api/v1/teams').set('Portus-Auth', auth[owner]).send({ name }).expect(201);
      const all = await api.http.get('/api/v1/teams?all=true').set('Portus-Auth', api.admin).expect(200);
      const id = (all.body as Array<{ id: number; name: string }>).find((t) => t.name === name)?.id;
      for (const [user, role] of members)
        await api.http
          .post(`/api/v1/teams/${id}/members`)
          .set('Portus-Auth', auth[owner])
          .send({ user, role })
          .expect(201);
      for (const n of ns)
        await api.http
          .post('/api/v1/namespaces')
          .set('Portus-Auth', auth[owner])
          .send({ name: n, team: name })
          .expect(201);
    };
    await team(
      'olga',
      'tteam',
      [
        ['carl', 'contributor'],
        ['vera', 'viewer'],
      ],
      ['tteam'],
    );
    await team('fred', 'foreign', [], ['fpriv', 'fprot', 'fpub']);
    const namespaces = await api.http.get('/api/v1/namespaces?all=true').set('Portus-Auth', api.admin).expect(200);
    for (const [name, visibility] of [
      ['fprot', 'protected'],
      ['fpub', 'public'],
    ]) {
      const id = (namespaces.body as Array<{ id: number; name: string }>).find((n) => n.name === name)?.id;
      await api.http
        .put(`/api/v1/namespaces/${id}`)
        .set('Portus-Auth', auth['fred'])
        .send({ namespace: { visibility } })
        .expect(200);
    }

    // One layout, one shared layer; manifests differ by config only (distinct digests), one per tag used below.
    layout = join(dir, 'layout');
    const tags = ['base', ...VARIANTS.flatMap((_, v) => ACTORS.flatMap((a) => [`p${v}-${a}`, `d${v}-${a}`]))];
    ociLayoutOf(layout, tags, { sharedLayer: true });
    // Seed as admin under the defaults: `base` everywhere (what a refused delete aims at), and each variant's
    // own manifest where its delete should pass, so no delete can take away another cell's image.
    const seeds = new Set(CELLS.map(({ actor, column }) => `${repoOf(actor, column)} base`));
    VARIANTS.forEach(({ op, rights }, v) => {
      if (op === 'delete')
        for (const { actor, column } of CELLS)
          if (rights[actor].includes(column)) seeds.add(`${repoOf(actor, column)} d${v}-${actor}`);
    });
    const seeded = await pool(
      [...seeds].map((seed) => (worker: number) => {
        const [repo, tag] = seed.split(' ');
        return copy('admin', tag, repo, worker).then((r) => `${seed} ${outcome(r)}`);
      }),
      4,
    );
    expect(seeded.filter((s) => !s.endsWith(' ok'))).toEqual([]);
  });

  afterAll(async () => {
    await reg?.registry.stop();
    await api?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    process.stdout.write(
      `registry-matrix-settings.e2e: ${((Date.now() - started) / 1000).toFixed(1)} s including set-up\n`,
    );
  });

  it.each(VARIANTS.map((variant, v) => [variant.name, variant.op, v] as const))(
    '%s: every cell may %s where the matrix says so and is refused by the registry elsewhere',
    async (_name, op, v) => {
      const { env, rights } = VARIANTS[v];
      await api.restart({
        PORTCULLIS_RATE_LIMIT_TOKEN_PER_MINUTE: '0',
        PORTCULLIS_BACKGROUND_SYNC_ENABLED: 'false',
        ...env,
      });
      await api.app.listen(port, '127.0.0.1');
      const got = await pool(
        CELLS.map(({ actor, column }) => (worker: number) => {
          const repo = repoOf(actor, column);
          const allowed = rights[actor].includes(column);
          const done =
            op === 'push'
              ? copy(actor, `p${v}-${actor}`, repo, worker)
              : skopeo(
                  [
                    'delete',
                    '--tls-verify=false',
                    ...creds(actor, 'creds'),
                    ref(repo, allowed ? `d${v}-${actor}` : 'base'),
                  ],
                  homes[worker],
                );
          return done.then((r) => `${actor} × ${column} × ${op}: ${outcome(r)}`);
        }),
        4,
      );
      const want = CELLS.map(
        ({ actor, column }) => `${actor} × ${column} × ${op}: ${rights[actor].includes(column) ? 'ok' : 'refused'}`,
      );
      expect(got).toEqual(want);
    },
  );
});

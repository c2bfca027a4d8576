import { join } from 'node:path';
import { ociLayoutOf, realRegistryAvailable, skopeo } from '../testing/real-registry';
import {
  MATRIX_ACTORS as ACTORS,
  MATRIX_API_ENV,
  MATRIX_COLUMNS as COLUMNS,
  matrixCreds as creds,
  matrixRepoOf as repoOf,
  outcome,
  perRepository,
  pool,
  startMatrix,
  type MatrixActor as Actor,
  type MatrixColumn as Column,
  type MatrixWorld,
} from '../testing/registry-matrix';

// portus-reference §2.1–2.2 with the non-default settings, end to end through the real docker-registry 2.8 and
// skopeo: push under `user_permission.push_images.policy` allow-personal and admin-only, delete under
// `delete.enabled=false` and `delete.contributors=true`. The default policy is registry-matrix.e2e.spec.ts.
// One registry and one data dir for all four: the api restarts with each setting on the same port, so the
// registry's realm and notification URLs (and the signing key, kept in the data dir) stay valid.
if (!realRegistryAvailable)
  process.stdout.write('registry-matrix-settings.e2e: docker-registry or skopeo missing, skipped\n');
const suite = realRegistryAvailable ? describe : describe.skip;
jest.setTimeout(600_000);

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

/** CELLS are every actor × namespace cell (anonymous has no personal namespace). */
const CELLS = ACTORS.flatMap((actor) =>
  COLUMNS.filter((column) => actor !== 'anonymous' || column !== 'own personal').map((column) => ({ actor, column })),
);

suite('permission matrix with non-default settings: docker-registry 2.8 + skopeo, every actor × namespace', () => {
  let world: MatrixWorld;
  let layout: string;
  let port: number;
  const started = Date.now();

  const ref = (repo: string, tag: string) => world.ref(repo, tag);
  const copy = (actor: Actor, tag: string, repo: string, worker: number) =>
    skopeo(
      ['copy', '--dest-tls-verify=false', ...creds(actor, 'dest-creds'), `oci:${layout}:${tag}`, ref(repo, tag)],
      world.homes[worker],
    );

  beforeAll(async () => {
    world = await startMatrix('portcullis-matrix-settings-');
    port = Number(new URL(await world.api.app.getUrl()).port);

    // One layout, one shared layer; manifests differ by config only (distinct digests), one per tag used below.
    layout = join(world.dir, 'layout');
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
      perRepository(
        [...seeds],
        (seed) => seed.split(' ')[0],
        (seed, worker) => {
          const [repo, tag] = seed.split(' ');
          return copy('admin', tag, repo, worker).then((r) => `${seed} ${outcome(r)}`);
        },
      ),
      4,
    );
    expect(seeded.flat().filter((s) => !s.endsWith(' ok'))).toEqual([]);
  });

  afterAll(async () => {
    await world?.close();
    process.stdout.write(
      `registry-matrix-settings.e2e: ${((Date.now() - started) / 1000).toFixed(1)} s including set-up\n`,
    );
  });

  it.each(VARIANTS.map((variant, v) => [variant.name, variant.op, v] as const))(
    '%s: every cell may %s where the matrix says so and is refused by the registry elsewhere',
    async (_name, op, v) => {
      const { env, rights } = VARIANTS[v];
      await world.api.restart({ ...MATRIX_API_ENV, ...env });
      await world.api.app.listen(port, '127.0.0.1');
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
                  world.homes[worker],
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

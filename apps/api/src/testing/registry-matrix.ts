import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, type TestApi } from './harness';
import { connectRegistry, type ConnectedRegistry, type SkopeoResult } from './real-registry';

// The cast and namespaces of the permission-matrix e2e specs (portus-reference §2.1): one api, one real
// docker-registry, the users, teams and namespaces every cell needs, and the small tools both specs run cells with.

/** MATRIX_PASSWORD is every matrix user's password (admin's too). */
export const MATRIX_PASSWORD = 'password1234';
/** MATRIX_ACTORS: uma has no team role, olga owns team T, carl contributes to it, vera views it. */
export const MATRIX_ACTORS = ['anonymous', 'uma', 'olga', 'carl', 'vera', 'admin'] as const;
/** MATRIX_COLUMNS are the namespaces of the matrix; "team" is T's (for the others simply another private one). */
export const MATRIX_COLUMNS = [
  'global',
  'own personal',
  'team',
  'foreign private',
  'foreign protected',
  'foreign public',
] as const;
/** MatrixActor is a row of the matrix. */
export type MatrixActor = (typeof MATRIX_ACTORS)[number];
/** MatrixColumn is a column of the matrix. */
export type MatrixColumn = (typeof MATRIX_COLUMNS)[number];

/** matrixRepoOf is the repository a cell works on. */
export const matrixRepoOf = (actor: MatrixActor, column: MatrixColumn): string =>
  ({
    global: 'matrix',
    'own personal': `${actor}/app`,
    team: 'tteam/app',
    'foreign private': 'fpriv/app',
    'foreign protected': 'fprot/app',
    'foreign public': 'fpub/app',
  })[column];

/** matrixCreds are skopeo's credential flags for an actor (anonymous: `--no-creds` and kin). */
export const matrixCreds = (actor: MatrixActor, flag: 'creds' | 'src-creds' | 'dest-creds') =>
  actor === 'anonymous' ? [`--${flag.replace('creds', 'no-creds')}`] : [`--${flag}`, `${actor}:${MATRIX_PASSWORD}`];

/** outcome: 'ok', 'refused' (the registry's denied/unauthorized), or the unexpected error itself. */
export function outcome(r: SkopeoResult): string {
  if (r.status === 0) return 'ok';
  if (/denied|unauthorized/i.test(r.out)) return 'refused';
  return `error: ${r.out.trim().split('\n').slice(-2).join(' | ')}`;
}

/** pool runs tasks `width` at a time (skopeo is a process per operation; the VM has two cores). */
export async function pool<T>(tasks: Array<(worker: number) => Promise<T>>, width: number): Promise<T[]> {
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

/**
 * perRepository turns work on (repository, tag) items into one pool task per repository that runs its items in
 * order; repositories still go in parallel. Two uploads of the same blob into one repository at once can make
 * docker-registry 2.8's filesystem driver answer 500 (seen in CI while seeding).
 */
export function perRepository<T, R>(
  items: readonly T[],
  repositoryOf: (item: T) => string,
  run: (item: T, worker: number) => Promise<R>,
): Array<(worker: number) => Promise<R[]>> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(repositoryOf(item));
    if (group) group.push(item);
    else groups.set(repositoryOf(item), [item]);
  }
  return [...groups.values()].map((group) => async (worker) => {
    const results: R[] = [];
    for (const item of group) results.push(await run(item, worker));
    return results;
  });
}

/** MATRIX_API_ENV: rate limits are per client IP and every skopeo here is 127.0.0.1; no background sync. */
export const MATRIX_API_ENV = {
  PORTCULLIS_RATE_LIMIT_TOKEN_PER_MINUTE: '0',
  PORTCULLIS_BACKGROUND_SYNC_ENABLED: 'false',
};

/** MatrixWorld is what startMatrix set up; close stops the registry and the api and removes the data dir. */
export interface MatrixWorld {
  api: TestApi;
  reg: ConnectedRegistry;
  dir: string;
  /** homes are one HOME per pool worker (skopeo keeps state there). */
  homes: string[];
  ref(repo: string, tag?: string): string;
  close(): Promise<void>;
}

/**
 * startMatrix starts the api and a registry in a fresh data dir named after `prefix`, creates uma, olga, carl,
 * vera and fred, team tteam (olga owner, carl contributor, vera viewer) with namespace tteam, and fred's team
 * foreign with fpriv (private), fprot (protected) and fpub (public).
 */
export async function startMatrix(prefix: string): Promise<MatrixWorld> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const homes: string[] = [];
  for (let i = 0; i < 4; i++) mkdirSync((homes[i] = join(dir, `home-${i}`)));
  let api: TestApi | undefined;
  let reg: ConnectedRegistry | undefined;
  try {
    api = await startApi(MATRIX_API_ENV);
    reg = await connectRegistry(api, dir);
    await castMatrix(api);
  } catch (e) {
    // Nothing started may outlive a failed set-up (afterAll sees no world to close).
    await reg?.registry.stop();
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const [a, r] = [api, reg];
  return {
    api: a,
    reg: r,
    dir,
    homes,
    ref: (repo, tag) => `docker://${r.addr}/${repo}${tag ? `:${tag}` : ''}`,
    close: async () => {
      await r.registry.stop();
      await a.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** castMatrix creates the matrix's users, teams and namespaces. */
async function castMatrix(api: TestApi): Promise<void> {
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
}

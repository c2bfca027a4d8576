/**
 * store benchmark: appends N events (default 100k) of a realistic mix through the SQLite event
 * store one command at a time, then rebuilds every read model from them. Each figure comes with a
 * baseline measured in the same run on the same machine, so the ratio is what to compare across
 * runs:
 *   - append baseline: raw better-sqlite3 INSERTs of the same rows, one transaction each, same pragmas;
 *   - rebuild baseline: reading all events back (readAll in pages) without projecting them.
 * With MONGODB_URL set, the rebuild also runs against that server (e.g. FerretDB).
 * Usage: npm run bench -- store [--events 100000]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database = require('better-sqlite3');
import {
  MongoReadStore,
  SqliteEventStore,
  SqliteReadStore,
  type NewEvent,
  type ReadStore,
} from '@portcullis/persistence';
import { allProjections, rebuildReadModels } from '@portcullis/read-models';

const argIndex = process.argv.indexOf('--events');
const N = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 100_000;

/** workload yields [stream, event] pairs shaped like what the api appends. */
function* workload(n: number): Generator<[string, NewEvent]> {
  const at = '2026-11-28T00:00:00.000Z';
  const meta = { actor: { id: 1, username: 'admin' }, correlationId: 'bench' };
  let users = 0;
  let teams = 0;
  let namespaces = 0;
  for (let i = 0; i < n; i++) {
    const k = i % 10;
    if (k < 3 || users === 0) {
      users++;
      yield [
        `user-${users}`,
        {
          type: 'UserRegistered',
          data: {
            id: users,
            username: `user${users}`,
            email: `user${users}@example.com`,
            displayName: null,
            passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA',
            admin: users === 1,
            bot: false,
            at,
          },
          metadata: meta,
        },
      ];
    } else if (k < 5 || teams === 0) {
      teams++;
      yield [
        `team-${teams}`,
        {
          type: 'TeamCreated',
          data: { id: teams, name: `team${teams}`, description: '', kind: 'team', hidden: false, ownerId: 1, at },
          metadata: meta,
        },
      ];
    } else if (k < 7) {
      yield [
        `team-${teams}`,
        { type: 'TeamMemberAdded', data: { teamId: teams, userId: users, role: 'contributor', at }, metadata: meta },
      ];
    } else if (k < 9) {
      namespaces++;
      yield [
        `namespace-${namespaces}`,
        {
          type: 'NamespaceCreated',
          data: {
            id: namespaces,
            name: `ns${namespaces}`,
            kind: 'team',
            registryId: 1,
            teamId: teams,
            ownerUserId: null,
            description: '',
            visibility: 'private',
            at,
          },
          metadata: meta,
        },
      ];
    } else {
      yield [
        `namespace-${Math.max(1, namespaces)}`,
        {
          type: 'NamespaceVisibilityChanged',
          data: { id: Math.max(1, namespaces), old: 'private', new: 'public', at },
          metadata: meta,
        },
      ];
    }
  }
}

const rate = (count: number, ms: number) => Math.round((count / ms) * 1000);

async function rebuildOn(label: string, store: SqliteEventStore, reads: ReadStore) {
  const t0 = performance.now();
  const result = await rebuildReadModels(store, reads, allProjections);
  const ms = performance.now() - t0;
  return { label, events: result.events, ms: Math.round(ms), events_per_s: rate(result.events, ms) };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-'));
  try {
    // ---- baseline: raw inserts with the adapter's pragmas, one transaction per event
    const raw = new Database(join(dir, 'raw.sqlite'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.exec(
      'CREATE TABLE e (position INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT, stream_id TEXT, revision INTEGER, type TEXT, data TEXT, metadata TEXT, created TEXT)',
    );
    const insert = raw.prepare(
      'INSERT INTO e (id, stream_id, revision, type, data, metadata, created) VALUES (?, ?, 0, ?, ?, ?, ?)',
    );
    const once = raw.transaction((s: string, e: NewEvent) =>
      insert.run(
        String(Math.random()),
        s,
        e.type,
        JSON.stringify(e.data),
        JSON.stringify(e.metadata),
        new Date().toISOString(),
      ),
    );
    let t0 = performance.now();
    for (const [s, e] of workload(N)) once(s, e);
    const rawMs = performance.now() - t0;
    raw.close();

    // ---- the adapter: append with expected revision, as a command handler does
    const store = new SqliteEventStore(join(dir, 'events.sqlite'));
    const revisions = new Map<string, bigint>();
    t0 = performance.now();
    for (const [s, e] of workload(N)) {
      const expected = revisions.get(s);
      const r = await store.append(s, [e], { expectedRevision: expected ?? 'no_stream' });
      revisions.set(s, r.nextExpectedRevision);
    }
    const appendMs = performance.now() - t0;

    // ---- rebuild baseline: read everything back
    t0 = performance.now();
    let read = 0;
    let after: bigint | undefined;
    for (;;) {
      const page = await store.readAll({ after, maxCount: 1000 });
      if (!page.length) break;
      read += page.length;
      after = page[page.length - 1].position;
    }
    const readMs = performance.now() - t0;

    const sqliteReads = new SqliteReadStore(join(dir, 'read-models.sqlite'));
    const rebuilds = [await rebuildOn('sqlite', store, sqliteReads)];
    await sqliteReads.close();
    if (process.env['MONGODB_URL']) {
      const url = new URL(process.env['MONGODB_URL']);
      url.pathname = `/bench_${Date.now()}`;
      const mongo = new MongoReadStore(url.toString());
      rebuilds.push(await rebuildOn('mongodb', store, mongo));
      await mongo.close();
    }
    await store.close();

    const result = {
      benchmark: 'store',
      date: new Date().toISOString(),
      machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
      events: N,
      append: {
        events_per_s: rate(N, appendMs),
        ms: Math.round(appendMs),
        baseline_raw_insert_events_per_s: rate(N, rawMs),
        ratio_vs_baseline: +(rawMs / appendMs).toFixed(3),
      },
      read_all: { events: read, events_per_s: rate(read, readMs), ms: Math.round(readMs) },
      rebuild: rebuilds.map((r) => ({ ...r, ratio_vs_read_all: +(readMs / r.ms).toFixed(3) })),
    };
    const out = resolve(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'store.json'), JSON.stringify(result, null, 2) + '\n');
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});

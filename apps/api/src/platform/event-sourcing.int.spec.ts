import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore, type EventStore } from '@portcullis/persistence';
import type { DomainError } from '@portcullis/domain';
import { defaultSettings, teamDecider, teamStreamId, type TeamCommand } from '@portcullis/domain';
import { Clock } from './clock';
import { ConcurrencyError, EventSourcing } from './event-sourcing';
import { IdSource } from './ids';

describe('EventSourcing (load → decide → append) on the SQLite event store', () => {
  let dir: string;
  let store: EventStore;
  let es: EventSourcing;
  const owner = { id: 1, username: 'olga', admin: false };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-es-'));
    store = createEventStore({ dataDir: dir });
    es = new EventSourcing(store, new Clock(), new IdSource());
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function teamWithMember() {
    const meta = es.metadataFor(owner);
    await es.handle(teamDecider, teamStreamId(7), {
      type: 'CreateTeam',
      data: {
        id: 7,
        name: 'qa',
        description: '',
        kind: 'team',
        ownerId: 1,
        ownerIsAdmin: false,
        settings: defaultSettings,
      },
      metadata: meta,
    } as TeamCommand);
    await es.handle(teamDecider, teamStreamId(7), {
      type: 'AddTeamMember',
      data: { userId: 2, role: 'viewer', userIsAdmin: false },
      metadata: meta,
    } as TeamCommand);
  }

  it('two role changes decided on the same revision: one is appended, the other is a 409 ConcurrencyError', async () => {
    await teamWithMember();
    const a = await es.load(teamDecider, teamStreamId(7));
    const b = await es.load(teamDecider, teamStreamId(7));
    const change = (role: string): TeamCommand =>
      ({
        type: 'ChangeTeamMemberRole',
        data: { userId: 2, role, userIsAdmin: false },
        metadata: es.metadataFor(owner),
      }) as TeamCommand;
    await es.handle(teamDecider, teamStreamId(7), change('contributor'), { loaded: a });
    const err = await es.handle(teamDecider, teamStreamId(7), change('owner'), { loaded: b }).catch((e) => e);
    expect(err).toBeInstanceOf(ConcurrencyError);
    expect((err as DomainError).category).toBe('conflict');
    const final = await es.load(teamDecider, teamStreamId(7));
    expect(final.state.members[2]).toBe('contributor');
    const events = await store.readStream(teamStreamId(7));
    expect(events.map((e) => e.type)).toEqual([
      'TeamCreated',
      'TeamMemberAdded',
      'TeamMemberAdded',
      'TeamMemberRoleChanged',
    ]);
  });

  it('allocates distinct ids under concurrency', async () => {
    const ids = await Promise.all(Array.from({ length: 50 }, () => es.allocateId('user')));
    expect(new Set(ids).size).toBe(50);
    expect(Math.min(...ids)).toBe(1);
  });

  it('hands out repository and tag ids a block at a time: consecutive here, distinct across replicas, 16 ids per append', async () => {
    const replica = new EventSourcing(store, new Clock(), new IdSource());
    const here = await Promise.all(Array.from({ length: 20 }, () => es.allocateId('tag')));
    const there = await Promise.all(Array.from({ length: 5 }, () => replica.allocateId('tag')));
    // In one process, concurrent callers share the block (no id taken twice, none skipped while it lives).
    expect([...here].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // Another process (replica) takes its own block after the two of this one.
    expect(there).toEqual([33, 34, 35, 36, 37]);
    expect((await store.readStream('sequence-tag')).length).toBe(48);
    // Other kinds stay gapless: one id, one event.
    expect(await es.allocateId('user')).toBe(1);
    expect(await replica.allocateId('user')).toBe(2);
  });

  it('reservations: a second owner gets NAME_TAKEN, the same owner is idempotent, released names are free', async () => {
    const meta = es.metadataFor(owner);
    await es.reserve('team', 'QA', 1, meta);
    await es.reserve('team', 'qa', 1, meta);
    await expect(es.reserve('team', 'qa', 2, meta)).rejects.toMatchObject({
      code: 'TEAM.NAME_TAKEN',
      category: 'conflict',
    });
    await es.release('team', 'qa', 1, meta);
    await es.reserve('team', 'qa', 2, meta);
  });

  it('writes the actor into event metadata, never a secret', async () => {
    await teamWithMember();
    const [first] = await store.readStream(teamStreamId(7));
    expect(first.metadata).toMatchObject({ actor: { id: 1, username: 'olga' }, correlationId: expect.any(String) });
    expect(JSON.stringify(first.metadata)).not.toContain('admin');
  });
});

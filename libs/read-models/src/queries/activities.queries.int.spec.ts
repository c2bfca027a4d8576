import type { ReadStore } from '@portcullis/persistence';
import { SqliteReadStore } from '@portcullis/persistence';
import type { ActivityDoc } from '../activities/activities.projection';
import { Collections } from '../collections';
import { InMemoryReadStoreForTests } from '../testing/in-memory-read-store.for-tests';
import type { ActivityFilters } from './activities.queries';
import { activityVisibilityFor, countActivities, exportActivities, listActivities } from './activities.queries';

/**
 * The viewer is uma (2): member of devs (10) and of her hidden personal team (11). olaf (3) owns team 20 with
 * a private, a public and a protected namespace. Each row is an activity with whether uma may see it.
 */
const UMA = 2;
type Row = [label: string, fields: Partial<ActivityDoc>, visible: boolean];
const rows: Row[] = [
  ['her own sign-in', { key: 'user.login', owner_id: UMA, trackable_type: 'User', trackable_id: UMA }, true],
  ['someone else’s sign-in', { key: 'user.login', owner_id: 3, trackable_type: 'User', trackable_id: 3 }, false],
  ['an admin disabling someone', { key: 'user.disable', owner_id: 1, trackable_type: 'User', trackable_id: 4 }, false],
  ['a push into her team’s private namespace', { ...push(100, 10), owner_id: 3 }, true],
  ['a push into another team’s private namespace', push(101, 20), false],
  ['a push into another team’s public namespace', push(102, 20), true],
  ['a push into another team’s protected namespace', push(103, 20), true],
  ['her own push into a namespace she has left', { ...push(101, 20), owner_id: UMA }, true],
  [
    'a webhook deleted in another team’s public namespace (names the receiver URL)',
    { ...webhook(102, 20), key: 'webhook.destroy', parameters: { webhook_url: 'https://hooks.example/?token=s3cret' } },
    false,
  ],
  ['a webhook created in her team’s namespace', webhook(100, 10), true],
  [
    'a member added to another team',
    { key: 'team.add_member', trackable_type: 'Team', trackable_id: 20, team_id: 20 },
    false,
  ],
  [
    'a member added to her team',
    { key: 'team.add_member', trackable_type: 'Team', trackable_id: 10, team_id: 10 },
    true,
  ],
  [
    'her own hidden personal team being created',
    { key: 'team.create', owner_id: UMA, trackable_type: 'Team', trackable_id: 11, team_id: 11, hidden: true },
    false,
  ],
  [
    'her hidden personal namespace being created',
    {
      key: 'namespace.create',
      trackable_type: 'Namespace',
      trackable_id: 104,
      namespace_id: 104,
      team_id: 11,
      hidden: true,
    },
    false,
  ],
  [
    'a registry being created',
    { key: 'registry.create', owner_id: 1, trackable_type: 'Registry', trackable_id: 1 },
    false,
  ],
  [
    'a push by an unknown registry user into an unknown namespace',
    { ...push(null, null), owner_id: null, owner_name: 'stranger' },
    false,
  ],
  [
    'another team’s private namespace being deleted',
    { key: 'registry.delete', trackable_type: 'Registry', trackable_id: 1, namespace_id: 101, team_id: 20 },
    false,
  ],
  ['a push into a namespace id she could only guess', push(999, 20), false],
];

function push(namespaceId: number | null, teamId: number | null): Partial<ActivityDoc> {
  return {
    key: 'repository.push',
    owner_id: 3,
    trackable_type: 'Repository',
    trackable_id: 7,
    recipient_type: 'Tag',
    recipient_id: 8,
    namespace_id: namespaceId,
    team_id: teamId,
  };
}

function webhook(namespaceId: number, teamId: number): Partial<ActivityDoc> {
  return {
    key: 'webhook.create',
    owner_id: 3,
    trackable_type: 'Webhook',
    trackable_id: 5,
    namespace_id: namespaceId,
    team_id: teamId,
  };
}

async function world(store: ReadStore): Promise<void> {
  const members = store.collection(Collections.teamMembers);
  for (const [team, user] of [
    [10, UMA],
    [11, UMA],
    [20, 3],
  ])
    await members.upsert({ _id: `${team}:${user}`, team_id: team, user_id: user, role: 'viewer', created_at: '' });
  const namespaces = store.collection(Collections.namespaces);
  for (const [id, team, visibility] of [
    [100, 10, 'private'],
    [101, 20, 'private'],
    [102, 20, 'public'],
    [103, 20, 'protected'],
    [104, 11, 'private'],
  ] as const)
    await namespaces.upsert({ _id: String(id), id, name: `ns${id}`, team_id: team, visibility });
  const activities = store.collection<ActivityDoc>(Collections.activities);
  for (const [i, [, fields]] of rows.entries()) {
    await activities.upsert({
      _id: `event-${i}`,
      id: i + 1,
      key: 'x',
      owner_id: null,
      owner_name: fields.owner_id === UMA ? 'uma' : 'someone',
      trackable_type: 'User',
      trackable_id: 1,
      recipient_type: null,
      recipient_id: null,
      namespace_id: null,
      team_id: null,
      parameters: {},
      hidden: false,
      created_at: `2030-01-01T00:00:${String(i).padStart(2, '0')}.000Z`,
      ...fields,
    });
  }
}

const stores: Array<[name: string, make: () => ReadStore]> = [
  ['in memory', () => new InMemoryReadStoreForTests()],
  ['SQLite', () => new SqliteReadStore(':memory:')],
];

describe.each(stores)('activity visibility (%s)', (_name, make) => {
  let store: ReadStore;
  beforeAll(async () => {
    store = make();
    await world(store);
  });
  afterAll(() => store.close());

  const labels = async (filters: ActivityFilters) =>
    (await listActivities(store, filters, { page: 1, perPage: 100 })).items.map((a) => rows[a.id - 1][0]);

  it.each(rows.map(([label, , visible]) => ({ label, visible })))(
    'a non-admin sees $label: $visible',
    async ({ label, visible }) => {
      const seen = await labels({ visibleTo: await activityVisibilityFor(store, UMA) });
      expect(seen.includes(label)).toBe(visible);
    },
  );

  it('shows an admin every activity, hidden ones included', async () => {
    expect((await labels({ includeHidden: true })).sort()).toEqual(rows.map(([l]) => l).sort());
  });

  it('keeps hidden activities from a non-admin even when includeHidden is asked for', async () => {
    const seen = await labels({ includeHidden: true, visibleTo: await activityVisibilityFor(store, UMA) });
    expect(seen).not.toContain('her own hidden personal team being created');
  });

  it('combines visibility with key prefix and both time bounds', async () => {
    const visibleTo = await activityVisibilityFor(store, UMA);
    const seen = await labels({
      visibleTo,
      keyPrefix: 'repository.',
      from: '2030-01-01T00:00:04.000Z',
      to: '2030-01-01T00:00:07.000Z',
    });
    expect(seen).toEqual([
      'a push into another team’s protected namespace',
      'a push into another team’s public namespace',
    ]);
  });

  it('filters by the recorded owner name (actors Portcullis does not know)', async () => {
    expect(await labels({ ownerName: 'stranger', includeHidden: true })).toEqual([
      'a push by an unknown registry user into an unknown namespace',
    ]);
  });

  it('exports every visible row newest first in keyset batches, and stops at the cap', async () => {
    const visibleTo = await activityVisibilityFor(store, UMA);
    const ids = async (max: number) => {
      const out: number[] = [];
      for await (const batch of exportActivities(store, { visibleTo }, max, 2)) out.push(...batch.map((a) => a.id));
      return out;
    };
    const expected = rows
      .map(([, , visible], i) => (visible ? i + 1 : 0))
      .filter((id) => id > 0)
      .reverse();
    expect(await ids(1000)).toEqual(expected);
    expect(await countActivities(store, { visibleTo })).toBe(expected.length);
    expect(await ids(3)).toEqual(expected.slice(0, 3));
  });
});

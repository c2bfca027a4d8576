import { allProjections } from '../all-projections';
import { applyBatch } from '../projection-runner';
import { EventLogForTests } from './given.for-tests';
import type { ReadStore } from '@portcullis/persistence';
import { listActivities } from '../queries/activities.queries';
import { findCredentialByTokenHash, passwordHashOf, tokensOfUser } from '../queries/credentials.queries';
import { findNamespace, listNamespacesVisibleTo, namespacesOfTeam } from '../queries/namespaces.queries';
import { DEFAULT_PAGE, sortFor } from '../queries/paging';
import { findRegistry, listRegistries } from '../queries/registries.queries';
import { findTeam, listTeamsForUser, memberRole, teamMembers } from '../queries/teams.queries';
import { findUserByEmail, findUserById, findUserByUsername, listUsers } from '../queries/users.queries';

const at = (n: number) => `2030-01-${String(n).padStart(2, '0')}T00:00:00.000Z`;

/**
 * The world: admin (1), alice (2), bob (3); team devs (10, alice owner, bob viewer); hidden personal
 * teams; namespaces: devs-private (20), open (21, public), half (22, protected), bob's personal (23).
 */
async function world(store: ReadStore) {
  const log = new EventLogForTests();
  const user = (id: number, username: string, admin = false) =>
    log.record('UserRegistered', {
      id,
      username,
      email: `${username}@example.com`,
      displayName: username.toUpperCase(),
      passwordHash: `hash-${id}`,
      admin,
      bot: false,
      at: at(id),
    });
  const team = (id: number, name: string, ownerId: number, hidden = false) => {
    log.record('TeamCreated', {
      id,
      name,
      description: '',
      kind: hidden ? 'personal' : 'team',
      hidden,
      ownerId,
      at: at(id % 28),
    });
    log.record('TeamMemberAdded', {
      teamId: id,
      userId: ownerId,
      role: 'owner',
      at: at(id % 28),
    });
  };
  const namespace = (
    id: number,
    name: string,
    teamId: number,
    visibility: 'private' | 'public' | 'protected',
    kind: 'team' | 'personal' = 'team',
  ) =>
    log.record('NamespaceCreated', {
      id,
      name,
      kind,
      registryId: 1,
      teamId,
      ownerUserId: kind === 'personal' ? 3 : null,
      description: '',
      visibility: 'private',
      at: at(id % 28),
    }) &&
    visibility !== 'private' &&
    log.record('NamespaceVisibilityChanged', {
      id,
      old: 'private',
      new: visibility,
      at: at(id % 28),
    });

  log.record('RegistryCreated', {
    id: 1,
    name: 'main',
    hostname: 'registry:5000',
    useSsl: false,
    externalHostname: null,
    at: at(1),
  });
  user(1, 'admin', true);
  user(2, 'alice');
  user(3, 'bob');
  team(10, 'devs', 2);
  team(11, 'alice-personal', 2, true);
  team(12, 'bob-personal', 3, true);
  team(13, 'ops', 1);
  log.record('TeamMemberAdded', {
    teamId: 10,
    userId: 3,
    role: 'viewer',
    at: at(14),
  });
  namespace(20, 'devs-private', 10, 'private');
  namespace(21, 'open', 13, 'public');
  namespace(22, 'half', 13, 'protected');
  namespace(23, 'bob', 12, 'private', 'personal');
  namespace(24, 'ops-private', 13, 'private');
  log.record('ApplicationTokenCreated', {
    userId: 2,
    tokenId: 100,
    application: 'ci',
    tokenHash: 'h100',
    expiresAt: null,
    at: at(6),
  });
  await applyBatch(store, allProjections, new Map(), log.events);
  return { store, log };
}

/** queriesContract runs the query specs over a fresh store from `makeStore` per test. */
export function queriesContract(makeStore: () => Promise<ReadStore>) {
  describe('queries', () => {
    describe('users', () => {
      it('finds by id, username and email; pages with a total', async () => {
        const { store } = await world(await makeStore());
        expect((await findUserById(store, 2))?.username).toBe('alice');
        expect((await findUserByUsername(store, 'bob'))?.id).toBe(3);
        expect((await findUserByEmail(store, 'admin@example.com'))?.admin).toBe(true);
        expect(await findUserById(store, 99)).toBeNull();
        const page = await listUsers(store, { page: 2, perPage: 2 });
        expect(page).toMatchObject({ total: 3, items: [{ username: 'bob' }] });
        const byName = await listUsers(store, {
          page: 1,
          perPage: 5,
          sortAttr: 'username',
          sortOrder: 'desc',
        });
        expect(byName.items.map((u) => u.username)).toEqual(['bob', 'alice', 'admin']);
      });

      it('falls back to id for an unknown sort attribute, as Portus', () => {
        expect(sortFor({ sortAttr: 'password' }, ['id', 'username'])).toEqual([['id', 1]]);
        expect(sortFor({ sortAttr: 'username', sortOrder: 'nonsense' }, ['id', 'username'])).toEqual([
          ['username', -1],
          ['id', -1],
        ]);
      });
    });

    describe('teams', () => {
      it('lists non-hidden teams: all for an admin, own for a user', async () => {
        const { store } = await world(await makeStore());
        const names = async (userId: number, admin: boolean) =>
          (await listTeamsForUser(store, userId, admin, DEFAULT_PAGE)).items.map((t) => t.name);
        expect(await names(1, true)).toEqual(['devs', 'ops']);
        expect(await names(3, false)).toEqual(['devs']);
        expect(await names(2, false)).toEqual(['devs']);
        expect((await findTeam(store, 11))?.hidden).toBe(true);
      });

      it('joins members with their user fields and answers roles', async () => {
        const { store } = await world(await makeStore());
        expect(await teamMembers(store, 10)).toEqual([
          expect.objectContaining({
            user_id: 2,
            role: 'owner',
            username: 'alice',
            display_name: 'ALICE',
            admin: false,
          }),
          expect.objectContaining({
            user_id: 3,
            role: 'viewer',
            username: 'bob',
          }),
        ]);
        expect(await memberRole(store, 10, 3)).toBe('viewer');
        expect(await memberRole(store, 10, 1)).toBeNull();
      });
    });

    describe('namespaces', () => {
      it('applies Portus visibility: admin all, user public+protected+own teams, anonymous public', async () => {
        const { store } = await world(await makeStore());
        const names = async (viewer: { id: number; admin: boolean } | null, search?: string) =>
          (await listNamespacesVisibleTo(store, viewer, DEFAULT_PAGE, search)).items.map((n) => n.name);
        expect(await names({ id: 1, admin: true })).toEqual(['devs-private', 'open', 'half', 'bob', 'ops-private']);
        expect(await names({ id: 3, admin: false })).toEqual(['devs-private', 'open', 'half', 'bob']);
        expect(await names({ id: 2, admin: false })).toEqual(['devs-private', 'open', 'half']);
        expect(await names(null)).toEqual(['open']);
        expect(await names({ id: 3, admin: false }, 'PRIV')).toEqual(['devs-private']);
      });

      it('finds by id or name and lists a team’s namespaces', async () => {
        const { store } = await world(await makeStore());
        expect((await findNamespace(store, 21))?.visibility).toBe('public');
        expect((await findNamespace(store, 'half'))?.id).toBe(22);
        expect((await namespacesOfTeam(store, 13)).map((n) => n.id)).toEqual([21, 22, 24]);
      });
    });

    describe('registries and credentials', () => {
      it('finds registries, tokens and hashes', async () => {
        const { store } = await world(await makeStore());
        expect((await findRegistry(store, 1))?.hostname).toBe('registry:5000');
        expect(await listRegistries(store)).toHaveLength(1);
        expect(await tokensOfUser(store, 2)).toEqual([expect.objectContaining({ id: 100, application: 'ci' })]);
        expect(await findCredentialByTokenHash(store, 'h100')).toMatchObject({
          userId: 2,
          tokenId: 100,
        });
        expect(await findCredentialByTokenHash(store, 'nope')).toBeNull();
        expect(await passwordHashOf(store, 3)).toBe('hash-3');
        expect(await passwordHashOf(store, 99)).toBeNull();
      });
    });

    describe('activities', () => {
      it('filters by owner, key prefix, namespace and time, newest first, hidden left out', async () => {
        const { store } = await world(await makeStore());
        const keys = async (filters: Parameters<typeof listActivities>[1]) =>
          (await listActivities(store, filters, { page: 1, perPage: 100 })).items.map((a) => a.key);
        const all = await keys({});
        expect(all[0]).toBe('application_token.create');
        // Four teams were created, two of them hidden personal teams.
        expect(all.filter((k) => k === 'team.create')).toHaveLength(2);
        expect(await keys({ keyPrefix: 'team.' })).toEqual([
          'team.add_member',
          'team.add_member',
          'team.create',
          'team.add_member',
          'team.create',
        ]);
        expect(await keys({ keyPrefix: 'namespace.change_', namespaceId: 22 })).toEqual([
          'namespace.change_visibility',
        ]);
        expect((await keys({ includeHidden: true, keyPrefix: 'team.create' })).length).toBe(4);
        expect(await keys({ from: at(6), to: at(7) })).toEqual(['application_token.create']);
        expect(await keys({ from: at(14), to: at(15) })).toEqual(['team.add_member']);
        expect(await keys({ from: at(6), to: at(6) })).toEqual([]);
        const page = await listActivities(store, { ownerId: 1 }, { page: 1, perPage: 2, sortOrder: 'asc' });
        expect(page.items.map((a) => a.key)).toEqual(['registry.create', 'user.create']);
      });
    });
  });
}

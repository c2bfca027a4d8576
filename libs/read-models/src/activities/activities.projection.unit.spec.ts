import type { RecordedEvent } from '@portcullis/persistence';
import { InMemoryReadStoreForTests } from '../testing/in-memory-read-store.for-tests';
import { EventLogForTests } from '../testing/given.for-tests';
import type { ActivityDoc } from './activities.projection';
import { activitiesProjection } from './activities.projection';

const at = (n: number) => `2030-01-0${n}T00:00:00.000Z`;

/** activitiesAfter applies the events and returns the activities, by position. */
async function activitiesAfter(
  events: RecordedEvent[],
  store = new InMemoryReadStoreForTests(),
): Promise<ActivityDoc[]> {
  for (const e of events) await activitiesProjection.apply(e, store);
  return (store.dump(['activities'])['activities'] as ActivityDoc[]).sort((a, b) => a.id - b.id);
}

describe('activities projection', () => {
  let log: EventLogForTests;
  beforeEach(() => {
    log = new EventLogForTests();
    log.actor = { id: 1, username: 'admin' };
  });

  const userAlice = () =>
    log.record('UserRegistered', {
      id: 7,
      username: 'alice',
      email: 'alice@example.com',
      displayName: null,
      passwordHash: 'secret-hash',
      admin: false,
      bot: false,
      at: at(1),
    });
  const teamDevs = (hidden = false) =>
    log.record('TeamCreated', {
      id: 5,
      name: 'devs',
      description: '',
      kind: hidden ? 'personal' : 'team',
      hidden,
      ownerId: 1,
      at: at(1),
    });
  const namespaceDevs = () =>
    log.record('NamespaceCreated', {
      id: 3,
      name: 'devs',
      kind: 'team',
      registryId: 1,
      teamId: 5,
      ownerUserId: null,
      description: '',
      visibility: 'private',
      at: at(2),
    });

  describe('When a team is created', () => {
    it('writes team.create keyed by event id, with the actor as owner', async () => {
      const created = teamDevs();
      expect(await activitiesAfter(log.events)).toEqual([
        {
          _id: created.id,
          id: 0,
          key: 'team.create',
          owner_id: 1,
          owner_name: 'admin',
          trackable_type: 'Team',
          trackable_id: 5,
          recipient_type: null,
          recipient_id: null,
          namespace_id: null,
          team_id: 5,
          parameters: { team: 'devs' },
          hidden: false,
          created_at: at(1),
        },
      ]);
    });

    it('marks activities of hidden (personal, global) teams hidden', async () => {
      teamDevs(true);
      log.record('TeamMemberAdded', {
        teamId: 5,
        userId: 1,
        role: 'owner',
        at: at(1),
      });
      const activities = await activitiesAfter(log.events);
      expect(activities.map((a) => [a.key, a.hidden])).toEqual([
        ['team.create', true],
        ['team.add_member', true],
      ]);
    });
  });

  describe('When members change', () => {
    it('carries the LDAP group that caused a sync change', async () => {
      userAlice();
      teamDevs();
      const cause = { ldapGroup: 'cn=devs,ou=groups,dc=example,dc=org' };
      log.record('TeamMemberAdded', { teamId: 5, userId: 7, role: 'viewer', at: at(2), cause });
      log.record('TeamMemberRemoved', { teamId: 5, userId: 7, role: 'viewer', at: at(3), cause });
      const activities = await activitiesAfter(log.events);
      expect(activities.slice(2).map((a) => [a.key, a.parameters])).toEqual([
        ['team.add_member', { role: 'viewer', team: 'devs', team_user: 'alice', cause }],
        ['team.remove_member', { role: 'viewer', team: 'devs', team_user: 'alice', cause }],
      ]);
    });

    it('names the team and the member, with Portus parameters', async () => {
      userAlice();
      teamDevs();
      log.record('TeamMemberAdded', {
        teamId: 5,
        userId: 7,
        role: 'viewer',
        at: at(2),
      });
      log.record('TeamMemberRoleChanged', {
        teamId: 5,
        userId: 7,
        oldRole: 'viewer',
        newRole: 'owner',
        at: at(3),
      });
      log.record('TeamMemberRemoved', {
        teamId: 5,
        userId: 7,
        role: 'owner',
        at: at(4),
      });
      const activities = await activitiesAfter(log.events);
      expect(activities.slice(2).map((a) => [a.key, a.recipient_type, a.recipient_id, a.parameters])).toEqual([
        ['team.add_member', 'User', 7, { role: 'viewer', team: 'devs', team_user: 'alice' }],
        [
          'team.change_member_role',
          'User',
          7,
          {
            old_role: 'viewer',
            new_role: 'owner',
            team: 'devs',
            team_user: 'alice',
          },
        ],
        ['team.remove_member', 'User', 7, { role: 'owner', team: 'devs', team_user: 'alice' }],
      ]);
    });
  });

  describe('When a team is renamed', () => {
    it('keeps old activities as they were and quotes the new name afterwards', async () => {
      teamDevs();
      log.record('TeamRenamed', { id: 5, old: 'devs', new: 'ops', at: at(2) });
      log.record('TeamDescriptionChanged', {
        id: 5,
        old: '',
        new: 'hi',
        at: at(3),
      });
      const activities = await activitiesAfter(log.events);
      expect(activities.map((a) => [a.key, a.parameters])).toEqual([
        ['team.create', { team: 'devs' }],
        ['team.change_team_name', { old: 'devs', new: 'ops', team: 'ops' }],
        ['team.change_team_description', { old: '', new: 'hi', team: 'ops' }],
      ]);
    });
  });

  describe('When namespaces change', () => {
    it('writes Portus keys with namespace and team ids for filtering', async () => {
      teamDevs();
      namespaceDevs();
      log.record('NamespaceVisibilityChanged', {
        id: 3,
        old: 'private',
        new: 'public',
        at: at(3),
      });
      log.record('NamespaceTeamChanged', { id: 3, old: 5, new: 6, at: at(3) });
      log.record('NamespaceDescriptionChanged', {
        id: 3,
        old: '',
        new: 'd',
        at: at(3),
      });
      log.record('NamespaceRenamed', {
        id: 3,
        old: 'devs',
        new: 'ops',
        at: at(3),
      });
      log.record('NamespaceDeleted', {
        id: 3,
        name: 'ops',
        teamId: 5,
        registryId: 1,
        at: at(4),
      });
      const activities = await activitiesAfter(log.events);
      expect(
        activities
          .slice(1)
          .map((a) => [a.key, a.trackable_type, a.trackable_id, a.namespace_id, a.team_id, a.parameters]),
      ).toEqual([
        ['namespace.create', 'Namespace', 3, 3, 5, { team: 'devs' }],
        ['namespace.change_visibility', 'Namespace', 3, 3, 5, { visibility: 'public' }],
        ['namespace.change_team', 'Namespace', 3, 3, 6, { old: 5, new: 6 }],
        ['namespace.change_namespace_description', 'Namespace', 3, 3, 6, { old: '', new: 'd' }],
        ['namespace.change_namespace_name', 'Namespace', 3, 3, 6, { old: 'devs', new: 'ops' }],
        ['registry.delete', 'Registry', 1, 3, 5, { namespace_name: 'ops', team_name: 'devs', registry_id: 1 }],
      ]);
      expect(activities[6]).toMatchObject({
        recipient_type: 'Namespace',
        recipient_id: 3,
      });
    });

    it('hides the creation of personal and global namespaces', async () => {
      log.record('NamespaceCreated', {
        id: 4,
        name: 'alice',
        kind: 'personal',
        registryId: 1,
        teamId: 9,
        ownerUserId: 7,
        description: '',
        visibility: 'private',
        at: at(1),
      });
      expect((await activitiesAfter(log.events))[0]).toMatchObject({
        key: 'namespace.create',
        hidden: true,
      });
    });
  });

  describe('When users and tokens change', () => {
    it('writes our user.* keys and Portus token keys, never a secret', async () => {
      userAlice();
      log.record('UserUpdated', {
        id: 7,
        changes: { email: 'new@example.com' },
        previous: { email: 'alice@example.com' },
        at: at(2),
      });
      log.record('UserPasswordChanged', {
        id: 7,
        passwordHash: 'secret-hash-2',
        at: at(2),
      });
      log.record('UserDisabled', { id: 7, at: at(2) });
      log.record('UserEnabled', { id: 7, at: at(2) });
      log.record('UserAdminGranted', { id: 7, at: at(2) });
      log.record('UserAdminRevoked', { id: 7, at: at(2) });
      log.record('ApplicationTokenCreated', {
        userId: 7,
        tokenId: 10,
        application: 'ci',
        tokenHash: 'secret-token-hash',
        expiresAt: null,
        at: at(3),
      });
      log.record('ApplicationTokenRevoked', {
        userId: 7,
        tokenId: 10,
        application: 'ci',
        at: at(3),
      });
      log.record('UserDeleted', { id: 7, username: 'alice', at: at(4) });
      const activities = await activitiesAfter(log.events);
      expect(activities.map((a) => [a.key, a.trackable_type, a.trackable_id, a.parameters])).toEqual([
        ['user.create', 'User', 7, { username: 'alice' }],
        ['user.update', 'User', 7, { username: 'alice', fields: ['email'] }],
        ['user.change_password', 'User', 7, { username: 'alice' }],
        ['user.disable', 'User', 7, { username: 'alice' }],
        ['user.enable', 'User', 7, { username: 'alice' }],
        ['user.grant_admin', 'User', 7, { username: 'alice' }],
        ['user.revoke_admin', 'User', 7, { username: 'alice' }],
        ['application_token.create', 'ApplicationToken', 10, { application: 'ci' }],
        ['application_token.destroy', 'ApplicationToken', 10, { application: 'ci' }],
        ['user.delete', 'User', 7, { username: 'alice' }],
      ]);
      expect(JSON.stringify(activities)).not.toMatch(/secret|new@example/);
    });

    it('keeps the owner name after the owner is deleted', async () => {
      log.actor = { id: 7, username: 'alice' };
      teamDevs();
      log.actor = { id: 1, username: 'admin' };
      log.record('UserDeleted', { id: 7, username: 'alice', at: at(2) });
      expect((await activitiesAfter(log.events))[0]).toMatchObject({
        owner_id: 7,
        owner_name: 'alice',
      });
    });

    it('records system events with no owner', async () => {
      log.record(
        'RegistryCreated',
        {
          id: 1,
          name: 'main',
          hostname: 'registry:5000',
          useSsl: false,
          externalHostname: null,
          at: at(1),
        },
        { actor: null },
      );
      expect((await activitiesAfter(log.events))[0]).toMatchObject({
        key: 'registry.create',
        owner_id: null,
        owner_name: null,
        parameters: { name: 'main', hostname: 'registry:5000' },
      });
    });
  });

  describe('When events are replayed', () => {
    it('leaves every activity as first written, even across later renames', async () => {
      userAlice();
      teamDevs();
      log.record('TeamMemberAdded', {
        teamId: 5,
        userId: 7,
        role: 'viewer',
        at: at(2),
      });
      log.record('TeamRenamed', { id: 5, old: 'devs', new: 'ops', at: at(3) });
      log.record('UserUpdated', {
        id: 7,
        changes: { username: 'alicia' },
        previous: { username: 'alice' },
        at: at(3),
      });
      const store = new InMemoryReadStoreForTests();
      const once = await activitiesAfter(log.events, store);
      const twice = await activitiesAfter(log.events.slice(2), store);
      expect(twice).toEqual(once);
      expect(store.dump(['activity_names'])).toEqual(
        await (async () => {
          const fresh = new InMemoryReadStoreForTests();
          await activitiesAfter(log.events, fresh);
          return fresh.dump(['activity_names']);
        })(),
      );
    });
  });
});

describe('activities projection: registry events', () => {
  const D1 = `sha256:${'1'.repeat(64)}`;
  it('writes repository.push and repository.delete with Portus parameters, owned by the registry’s user', async () => {
    const log = new EventLogForTests();
    log.actor = null;
    log.record('TeamCreated', {
      id: 5,
      name: 'devs',
      description: '',
      kind: 'team',
      hidden: false,
      ownerId: 1,
      at: at(1),
    });
    log.record('NamespaceCreated', {
      id: 3,
      name: 'ns',
      kind: 'team',
      registryId: 1,
      teamId: 5,
      ownerUserId: null,
      description: '',
      visibility: 'private',
      at: at(1),
    });
    const common = { repositoryId: 9, fullName: 'ns/app', namespaceId: 3, tagId: 20, tag: 'v1', digest: D1 };
    log.record('ImagePushed', {
      ...common,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      size: 1,
      platforms: null,
      imageId: null,
      previousDigest: null,
      actor: { userId: null, username: 'stranger' },
      registryEventId: 'e1',
      at: at(2),
    });
    log.record('TagDeleted', { ...common, by: { userId: 7, username: 'alice' }, registryEventId: 'e2', at: at(3) });
    log.record('RepositoryDeleted', {
      id: 9,
      registryId: 1,
      fullName: 'ns/app',
      namespaceId: 3,
      by: { userId: 7, username: 'alice' },
      at: at(3),
    });
    const acts = (await activitiesAfter(log.events)).filter(
      (a) => a.trackable_type !== 'Team' && a.key !== 'namespace.create',
    );
    expect(acts.map((a) => [a.key, a.owner_id, a.owner_name, a.team_id])).toEqual([
      ['repository.push', null, 'stranger', 5],
      ['repository.delete', 7, 'alice', 5],
      ['namespace.delete', 7, 'alice', 5],
    ]);
    expect(acts[1]).toMatchObject({
      trackable_type: 'Repository',
      trackable_id: 9,
      recipient_type: 'Tag',
      recipient_id: 20,
      parameters: { repository_name: 'ns/app', namespace_id: 3, namespace_name: 'ns', tag_name: 'v1' },
    });
  });
});

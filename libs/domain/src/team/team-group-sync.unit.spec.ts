import { DeciderSpecification } from '../shared/decider-specification';
import { defaultSettings } from '../settings/settings';
import type { TeamEvent, TeamRole } from './team.events';
import type { TeamCommand } from './team.decide';
import { teamDecider } from './team.decide';
import type { SyncTeamWithGroup } from './team-group-sync.decide';

const spec = DeciderSpecification.for(teamDecider);
const now = '2024-05-01T10:00:00.000Z';
const group = 'cn=devs,ou=groups,dc=example,dc=org';
const cause = { ldapGroup: group };
const created: TeamEvent[] = [
  {
    type: 'TeamCreated',
    data: { id: 7, name: 'devs', description: '', kind: 'team', hidden: false, ownerId: 1, at: now, cause },
  },
  { type: 'TeamMemberAdded', data: { teamId: 7, userId: 1, role: 'owner', at: now } },
];
const added = (userId: number, role: TeamRole, viaGroup = true): TeamEvent => ({
  type: 'TeamMemberAdded',
  data: { teamId: 7, userId, role, at: now, ...(viaGroup ? { cause } : {}) },
});
const removed = (userId: number, role: TeamRole): TeamEvent => ({
  type: 'TeamMemberRemoved',
  data: { teamId: 7, userId, role, at: now, cause },
});
const sync = (members: Array<[number, boolean?]>, removeMembers = true, defaultRole: TeamRole = 'viewer') =>
  ({
    type: 'SyncTeamWithGroup',
    data: {
      groupDn: group,
      members: members.map(([userId, admin]) => ({ userId, admin: !!admin })),
      defaultRole,
      removeMembers,
    },
    metadata: { now, actor: null },
  }) as SyncTeamWithGroup;

describe('When a team is synced with an LDAP group', () => {
  it('adds the group members with the default role, admins as owners, the group as cause', () =>
    spec(created)
      .when(sync([[3], [2, true]], true, 'contributor'))
      .then([added(2, 'owner'), added(3, 'contributor')]));

  it('decides nothing the second time (idempotent)', () =>
    spec([...created, added(2, 'viewer')])
      .when(sync([[2]]))
      .then([]));

  it('removes members the sync added once they left the group', () =>
    spec([...created, added(2, 'viewer'), added(3, 'viewer')])
      .when(sync([[3]]))
      .then([removed(2, 'viewer')]));

  it('keeps them when remove_members is off (Portus)', () =>
    spec([...created, added(2, 'viewer')])
      .when(sync([], false))
      .then([]));

  it('never removes members added by hand, nor the owner', () =>
    spec([...created, added(2, 'contributor', false)])
      .when(sync([]))
      .then([]));

  it('never removes the only owner, even one the sync added', () => {
    const ownerless: TeamEvent[] = [
      created[0],
      added(5, 'owner'),
      { type: 'TeamMemberRemoved', data: { teamId: 7, userId: 1, role: 'owner', at: now } },
    ];
    spec(ownerless).when(sync([])).then([]);
  });

  it('forgets a membership removed by hand, so a re-added member is manual', () =>
    spec([
      ...created,
      added(2, 'viewer'),
      { type: 'TeamMemberRemoved', data: { teamId: 7, userId: 2, role: 'viewer', at: now } },
      added(2, 'viewer', false),
    ])
      .when(sync([]))
      .then([]));

  it('refuses hidden (personal, global) teams', () => {
    const personal: TeamEvent[] = [
      {
        type: 'TeamCreated',
        data: { id: 7, name: 'al', description: '', kind: 'personal', hidden: true, ownerId: 1, at: now },
      },
    ];
    spec(personal)
      .when(sync([[2]]))
      .thenThrows('TEAM.NOT_FOUND');
  });
});

describe('When the system creates a team for an LDAP group', () => {
  const create = (withCause: boolean) =>
    ({
      type: 'CreateTeam',
      data: {
        id: 7,
        name: 'devs',
        description: '',
        kind: 'team',
        ownerId: 1,
        ownerIsAdmin: true,
        settings: { ...defaultSettings, userPermission: { ...defaultSettings.userPermission, createTeam: false } },
        ...(withCause ? { cause } : {}),
      },
      metadata: { now, actor: null },
    }) as TeamCommand;

  it('needs no signed-in actor and records the group on TeamCreated', () => spec([]).when(create(true)).then(created));

  it('still refuses an anonymous creation without a cause', () => {
    spec([]).when(create(false)).thenThrows('TEAM.FORBIDDEN');
  });
});

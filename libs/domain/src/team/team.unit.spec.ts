import { DeciderSpecification } from '../shared/decider-specification';
import type { ActorRef, CommandMetadata } from '../shared/message';
import type { Settings } from '../settings/settings';
import { defaultSettings } from '../settings/settings';
import type { TeamEvent, TeamKind, TeamRole } from './team.events';
import type { TeamCommand } from './team.decide';
import { teamDecider } from './team.decide';

const spec = DeciderSpecification.for(teamDecider);
const now = '2024-05-01T10:00:00.000Z';
const admin: ActorRef = { id: 1, username: 'root', admin: true };
const alice: ActorRef = { id: 2, username: 'alice', admin: false };
const bob: ActorRef = { id: 3, username: 'bob', admin: false };
const carol: ActorRef = { id: 4, username: 'carol', admin: false };
const meta = (actor: ActorRef | null): CommandMetadata => ({ now, actor });
const cmd = <C extends TeamCommand>(type: C['type'], data: C['data'], actor: ActorRef | null) =>
  ({ type, data, metadata: meta(actor) }) as C;
const settings = (userPermission: Partial<Settings['userPermission']> = {}): Settings => ({
  ...defaultSettings,
  userPermission: { ...defaultSettings.userPermission, ...userPermission },
});

const created = (kind: TeamKind = 'team', ownerId = 2, id = 7, name = 'devs'): TeamEvent[] => [
  {
    type: 'TeamCreated',
    data: {
      id,
      name,
      description: '',
      kind,
      hidden: kind !== 'team',
      ownerId,
      at: now,
    },
  },
  {
    type: 'TeamMemberAdded',
    data: { teamId: id, userId: ownerId, role: 'owner', at: now },
  },
];
const added = (userId: number, role: TeamRole): TeamEvent => ({
  type: 'TeamMemberAdded',
  data: { teamId: 7, userId, role, at: now },
});
const devs = [...created(), added(3, 'viewer')]; // alice owns, bob views

describe('When no team exists', () => {
  const create = (actor: ActorRef | null, extra: Partial<Extract<TeamCommand, { type: 'CreateTeam' }>['data']> = {}) =>
    cmd(
      'CreateTeam',
      {
        id: 7,
        name: 'devs',
        description: '',
        kind: 'team',
        ownerId: 2,
        ownerIsAdmin: false,
        settings: settings(),
        ...extra,
      },
      actor,
    );

  it('lets a user create a team he owns', () => {
    spec([]).when(create(alice)).then(created());
  });
  it('lets an admin create a team for someone else', () => {
    spec([]).when(create(admin)).then(created());
  });
  it('lets the system create a hidden personal team without an actor', () => {
    spec([])
      .when(create(null, { kind: 'personal' }))
      .then(created('personal'));
  });
  it('lets the system create the hidden global team owned by the first admin', () => {
    spec([])
      .when(
        create(null, {
          kind: 'global',
          ownerId: 1,
          name: 'portus_global_team_1',
        }),
      )
      .then(created('global', 1, 7, 'portus_global_team_1'));
  });
  it('refuses anonymous creation of a user team', () => {
    spec([]).when(create(null)).thenThrows('TEAM.FORBIDDEN');
  });
  it('refuses a user when create_team is off', () => {
    spec([])
      .when(create(alice, { settings: settings({ createTeam: false }) }))
      .thenThrows('TEAM.CREATE_FORBIDDEN');
  });
  it('still lets an admin create when create_team is off', () => {
    spec([])
      .when(create(admin, { settings: settings({ createTeam: false }) }))
      .then(created());
  });
  it('refuses a user naming another owner', () => {
    spec([]).when(create(bob)).thenThrows('TEAM.OWNER_ADMIN_ONLY');
  });
  it.each(['', '   ', ' devs', 'a/b', 'tab\there', 'x'.repeat(256)])('refuses the name %j', (name) => {
    spec([]).when(create(alice, { name })).thenThrows('TEAM.INVALID_NAME');
  });
  it('refuses an unknown kind', () => {
    spec([])
      .when(create(admin, { kind: 'weird' as TeamKind }))
      .thenThrows('TEAM.INVALID_KIND');
  });
  it('answers not-found to member commands', () => {
    spec([])
      .when(cmd('RemoveTeamMember', { userId: 2 }, admin))
      .thenThrows('TEAM.NOT_FOUND');
  });
});

describe('When the team exists', () => {
  it('refuses creating it again', () => {
    spec(devs)
      .when(
        cmd(
          'CreateTeam',
          {
            id: 7,
            name: 'x',
            description: '',
            kind: 'team',
            ownerId: 2,
            ownerIsAdmin: false,
            settings: settings(),
          },
          alice,
        ),
      )
      .thenThrows('TEAM.EXISTS');
  });
  it('lets the owner rename it', () => {
    spec(devs)
      .when(cmd('RenameTeam', { name: 'ops', settings: settings() }, alice))
      .then([
        {
          type: 'TeamRenamed',
          data: { id: 7, old: 'devs', new: 'ops', at: now },
        },
      ]);
  });
  it('emits nothing for the same name', () => {
    spec(devs)
      .when(cmd('RenameTeam', { name: 'devs', settings: settings() }, alice))
      .then([]);
  });
  it('refuses a viewer renaming it', () => {
    spec(devs)
      .when(cmd('RenameTeam', { name: 'ops', settings: settings() }, bob))
      .thenThrows('TEAM.FORBIDDEN');
  });
  it('refuses the owner when manage_team is off', () => {
    spec(devs)
      .when(cmd('RenameTeam', { name: 'ops', settings: settings({ manageTeam: false }) }, alice))
      .thenThrows('TEAM.FORBIDDEN');
  });
  it('lets an admin rename when manage_team is off', () => {
    spec(devs)
      .when(cmd('RenameTeam', { name: 'ops', settings: settings({ manageTeam: false }) }, admin))
      .then([
        {
          type: 'TeamRenamed',
          data: { id: 7, old: 'devs', new: 'ops', at: now },
        },
      ]);
  });
  it('refuses an invalid new name', () => {
    spec(devs)
      .when(cmd('RenameTeam', { name: 'a/b', settings: settings() }, alice))
      .thenThrows('TEAM.INVALID_NAME');
  });
  it('lets the owner describe it', () => {
    spec(devs)
      .when(cmd('DescribeTeam', { description: '# hi', settings: settings() }, alice))
      .then([
        {
          type: 'TeamDescriptionChanged',
          data: { id: 7, old: '', new: '# hi', at: now },
        },
      ]);
  });
  it('refuses a non-member describing it', () => {
    spec(devs)
      .when(cmd('DescribeTeam', { description: 'x', settings: settings() }, carol))
      .thenThrows('TEAM.FORBIDDEN');
  });
  it('refuses a description over 64 KiB', () => {
    spec(devs)
      .when(cmd('DescribeTeam', { description: 'é'.repeat(40000), settings: settings() }, alice))
      .thenThrows('TEAM.DESCRIPTION_TOO_LONG');
  });
});

describe('When the team is hidden (personal or global)', () => {
  const personal = created('personal');
  it('answers not-found to a rename, even for admins', () => {
    spec(personal)
      .when(cmd('RenameTeam', { name: 'x', settings: settings() }, admin))
      .thenThrows('TEAM.NOT_FOUND');
  });
  it('answers not-found to adding a member', () => {
    spec(personal)
      .when(cmd('AddTeamMember', { userId: 3, role: 'viewer', userIsAdmin: false }, alice))
      .thenThrows('TEAM.NOT_FOUND');
  });
  it('answers not-found to removing a member', () => {
    spec(personal)
      .when(cmd('RemoveTeamMember', { userId: 2 }, admin))
      .thenThrows('TEAM.NOT_FOUND');
  });
});

describe('When adding members', () => {
  const add = (userId: number, role: TeamRole, userIsAdmin = false) =>
    ({ userId, role, userIsAdmin }) as Extract<TeamCommand, { type: 'AddTeamMember' }>['data'];
  it('lets the owner add a contributor', () => {
    spec(devs)
      .when(cmd('AddTeamMember', add(4, 'contributor'), alice))
      .then([added(4, 'contributor')]);
  });
  it('lets an admin who is not a member add someone', () => {
    spec(devs)
      .when(cmd('AddTeamMember', add(4, 'viewer'), admin))
      .then([added(4, 'viewer')]);
  });
  it('makes an added Portus admin an owner', () => {
    spec(devs)
      .when(cmd('AddTeamMember', add(1, 'viewer', true), alice))
      .then([added(1, 'owner')]);
  });
  it('refuses a viewer adding someone', () => {
    spec(devs)
      .when(cmd('AddTeamMember', add(4, 'viewer'), bob))
      .thenThrows('TEAM.FORBIDDEN');
  });
  it('refuses a non-member adding himself', () => {
    spec(devs)
      .when(cmd('AddTeamMember', add(4, 'owner'), carol))
      .thenThrows('TEAM.FORBIDDEN');
  });
  it('refuses an existing member', () => {
    spec(devs)
      .when(cmd('AddTeamMember', add(3, 'owner'), alice))
      .thenThrows('TEAM.ALREADY_MEMBER');
  });
  it('refuses an unknown role', () => {
    spec(devs)
      .when(cmd('AddTeamMember', add(4, 'god' as TeamRole), alice))
      .thenThrows('TEAM.INVALID_ROLE');
  });
});

describe('When changing roles', () => {
  const change = (userId: number, role: TeamRole, userIsAdmin = false) => ({
    userId,
    role,
    userIsAdmin,
  });
  const changed = (userId: number, oldRole: TeamRole, newRole: TeamRole): TeamEvent => ({
    type: 'TeamMemberRoleChanged',
    data: { teamId: 7, userId, oldRole, newRole, at: now },
  });
  it('lets the owner promote a viewer', () => {
    spec(devs)
      .when(cmd('ChangeTeamMemberRole', change(3, 'owner'), alice))
      .then([changed(3, 'viewer', 'owner')]);
  });
  it('emits nothing when the role is the same', () => {
    spec(devs)
      .when(cmd('ChangeTeamMemberRole', change(3, 'viewer'), alice))
      .then([]);
  });
  it('lets an owner step down when another owner remains', () => {
    spec([...devs, added(4, 'owner')])
      .when(cmd('ChangeTeamMemberRole', change(2, 'contributor'), alice))
      .then([changed(2, 'owner', 'contributor')]);
  });
  it('refuses demoting the only owner', () => {
    spec(devs)
      .when(cmd('ChangeTeamMemberRole', change(2, 'viewer'), admin))
      .thenThrows('TEAM.ONLY_OWNER');
  });
  it('refuses demoting a Portus admin', () => {
    spec([...devs, added(1, 'owner')])
      .when(cmd('ChangeTeamMemberRole', change(1, 'viewer', true), alice))
      .thenThrows('TEAM.ADMIN_IS_OWNER');
  });
  it('refuses a viewer promoting himself', () => {
    spec(devs)
      .when(cmd('ChangeTeamMemberRole', change(3, 'owner'), bob))
      .thenThrows('TEAM.FORBIDDEN');
  });
  it('answers not-found for a non-member', () => {
    spec(devs)
      .when(cmd('ChangeTeamMemberRole', change(4, 'owner'), alice))
      .thenThrows('TEAM.NOT_MEMBER');
  });
});

describe('When removing members', () => {
  const removed = (userId: number, role: TeamRole): TeamEvent => ({
    type: 'TeamMemberRemoved',
    data: { teamId: 7, userId, role, at: now },
  });
  it('lets the owner remove a viewer', () => {
    spec(devs)
      .when(cmd('RemoveTeamMember', { userId: 3 }, alice))
      .then([removed(3, 'viewer')]);
  });
  it('lets a member leave', () => {
    spec(devs)
      .when(cmd('RemoveTeamMember', { userId: 3 }, bob))
      .then([removed(3, 'viewer')]);
  });
  it('refuses a viewer removing someone else', () => {
    spec([...devs, added(4, 'viewer')])
      .when(cmd('RemoveTeamMember', { userId: 4 }, bob))
      .thenThrows('TEAM.FORBIDDEN');
  });
  it('refuses removing the only owner, even when he leaves', () => {
    spec(devs)
      .when(cmd('RemoveTeamMember', { userId: 2 }, alice))
      .thenThrows('TEAM.ONLY_OWNER');
  });
  it('answers not-found for a non-member', () => {
    spec(devs)
      .when(cmd('RemoveTeamMember', { userId: 4 }, admin))
      .thenThrows('TEAM.NOT_MEMBER');
  });
});

describe('When a user becomes or stops being admin', () => {
  const global = created('global', 1, 9, 'portus_global_team_1').map((e) =>
    e.type === 'TeamMemberAdded' ? { ...e, data: { ...e.data, teamId: 9 } } : e,
  ) as TeamEvent[];
  const sync = (userId: number, isAdmin: boolean) => cmd('SyncAdminMembership', { userId, admin: isAdmin }, null);
  it('adds a new admin as owner of the global team', () => {
    spec(global)
      .when(sync(2, true))
      .then([
        {
          type: 'TeamMemberAdded',
          data: { teamId: 9, userId: 2, role: 'owner', at: now },
        },
      ]);
  });
  it('removes a former admin from the global team, even the last owner', () => {
    spec(global)
      .when(sync(1, false))
      .then([
        {
          type: 'TeamMemberRemoved',
          data: { teamId: 9, userId: 1, role: 'owner', at: now },
        },
      ]);
  });
  it('emits nothing when the global team already has him', () => {
    spec(global).when(sync(1, true)).then([]);
  });
  it('promotes a new admin who is a viewer of a user team', () => {
    spec(devs)
      .when(sync(3, true))
      .then([
        {
          type: 'TeamMemberRoleChanged',
          data: {
            teamId: 7,
            userId: 3,
            oldRole: 'viewer',
            newRole: 'owner',
            at: now,
          },
        },
      ]);
  });
  it('does not add a new admin to user teams he is not in', () => {
    spec(devs).when(sync(4, true)).then([]);
  });
  it('leaves user teams alone when admin is revoked', () => {
    spec(devs).when(sync(2, false)).then([]);
  });
  it('answers not-found for a missing team', () => {
    spec([]).when(sync(2, true)).thenThrows('TEAM.NOT_FOUND');
  });
});

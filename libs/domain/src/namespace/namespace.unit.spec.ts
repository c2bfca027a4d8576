import { DeciderSpecification } from '../shared/decider-specification';
import type { ActorRef, CommandMetadata } from '../shared/message';
import type { PushPolicy, Settings } from '../settings/settings';
import { defaultSettings } from '../settings/settings';
import type { NamespaceCreated, NamespaceEvent, NamespaceKind } from './namespace.events';
import type { CreateNamespace, NamespaceCommand } from './namespace.decide';
import { namespaceDecider } from './namespace.decide';

const spec = DeciderSpecification.for(namespaceDecider);
const now = '2024-05-01T10:00:00.000Z';
const admin: ActorRef = { id: 1, username: 'root', admin: true };
const alice: ActorRef = { id: 2, username: 'alice', admin: false };
const meta = (actor: ActorRef | null): CommandMetadata => ({ now, actor });
const cmd = <C extends NamespaceCommand>(type: C['type'], data: C['data'], actor: ActorRef | null) =>
  ({ type, data, metadata: meta(actor) }) as C;
const settings = (
  userPermission: Partial<Settings['userPermission']> = {},
  del: Partial<Settings['delete']> = {},
): Settings => ({
  ...defaultSettings,
  delete: { ...defaultSettings.delete, ...del },
  userPermission: { ...defaultSettings.userPermission, ...userPermission },
});
const s = settings();

const created = (kind: NamespaceKind = 'team', extra: Partial<NamespaceCreated['data']> = {}): NamespaceCreated => ({
  type: 'NamespaceCreated',
  data: {
    id: 5,
    name: kind === 'global' ? 'portus_global_namespace_1' : 'devs',
    kind,
    registryId: 1,
    teamId: 7,
    ownerUserId: kind === 'personal' ? 2 : null,
    description: '',
    visibility: kind === 'global' ? 'public' : 'private',
    at: now,
    ...extra,
  },
});
const teamNs = [created()];
const personalNs = [created('personal', { name: 'alice' })];
const globalNs = [created('global')];

describe('When no namespace exists', () => {
  const base: CreateNamespace['data'] = {
    id: 5,
    name: 'devs',
    kind: 'team',
    registryId: 1,
    teamId: 7,
    teamHidden: false,
    ownerUserId: null,
    description: '',
    actorRole: 'owner',
    settings: s,
  };
  const create = (extra: Partial<CreateNamespace['data']> = {}, actor: ActorRef | null = alice) =>
    cmd('CreateNamespace', { ...base, ...extra }, actor);

  it('lets a team owner create a private team namespace', () => {
    spec([]).when(create()).then([created()]);
  });
  it('lets a contributor create one', () => {
    spec([])
      .when(create({ actorRole: 'contributor' }))
      .then([created()]);
  });
  it('lets an admin create one in any team', () => {
    spec([])
      .when(create({ actorRole: null }, admin))
      .then([created()]);
  });
  it('creates the global namespace public, without an actor', () => {
    spec([])
      .when(
        create(
          {
            kind: 'global',
            name: 'portus_global_namespace_1',
            teamHidden: true,
            actorRole: null,
          },
          null,
        ),
      )
      .then([created('global')]);
  });
  it('creates a personal namespace private, without an actor', () => {
    spec([])
      .when(
        create(
          {
            kind: 'personal',
            name: 'alice',
            ownerUserId: 2,
            teamHidden: true,
            actorRole: null,
          },
          null,
        ),
      )
      .then(personalNs);
  });
  it('refuses a viewer', () => {
    spec([])
      .when(create({ actorRole: 'viewer' }))
      .thenThrows('NAMESPACE.CREATE_FORBIDDEN');
  });
  it('refuses a non-member', () => {
    spec([])
      .when(create({ actorRole: null }))
      .thenThrows('NAMESPACE.CREATE_FORBIDDEN');
  });
  it('refuses anonymous', () => {
    spec([]).when(create({}, null)).thenThrows('NAMESPACE.FORBIDDEN');
  });
  it('refuses an owner when create_namespace is off', () => {
    spec([])
      .when(create({ settings: settings({ createNamespace: false }) }))
      .thenThrows('NAMESPACE.CREATE_FORBIDDEN');
  });
  it('refuses an owner under allow-personal (no push into team namespaces)', () => {
    spec([])
      .when(create({ settings: settings({ pushImages: 'allow-personal' }) }))
      .thenThrows('NAMESPACE.CREATE_FORBIDDEN');
  });
  it('refuses even an admin under an unknown push policy', () => {
    spec([])
      .when(create({ settings: settings({ pushImages: 'bogus' as PushPolicy }) }, admin))
      .thenThrows('NAMESPACE.CREATE_FORBIDDEN');
  });
  it('answers not-found for a hidden team', () => {
    spec([])
      .when(create({ teamHidden: true }, admin))
      .thenThrows('NAMESPACE.TEAM_NOT_FOUND');
  });
  it.each(['Devs', 'a__b', '-a', 'a/b', '', 'x'.repeat(256)])('refuses the name %j', (name) => {
    spec([]).when(create({ name })).thenThrows('NAMESPACE.INVALID_NAME');
  });
  it('refuses a global namespace with another name', () => {
    spec([])
      .when(create({ kind: 'global', name: 'library' }, null))
      .thenThrows('NAMESPACE.INVALID_NAME');
  });
  it('refuses a personal namespace without its user', () => {
    spec([])
      .when(create({ kind: 'personal', name: 'alice' }, null))
      .thenThrows('NAMESPACE.OWNER_REQUIRED');
  });
  it('refuses a description over 64 KiB', () => {
    spec([])
      .when(create({ description: 'x'.repeat(65537) }))
      .thenThrows('NAMESPACE.DESCRIPTION_TOO_LONG');
  });
  it('refuses an unknown kind', () => {
    spec([])
      .when(create({ kind: 'orphan' as NamespaceKind }, admin))
      .thenThrows('NAMESPACE.INVALID_KIND');
  });
  it('answers not-found to any other command', () => {
    spec([])
      .when(cmd('DeleteNamespace', { actorRole: 'owner', settings: s }, admin))
      .thenThrows('NAMESPACE.NOT_FOUND');
  });
});

describe('When the namespace exists', () => {
  it('refuses creating it again', () => {
    spec(teamNs)
      .when(
        cmd(
          'CreateNamespace',
          {
            ...created().data,
            teamHidden: false,
            actorRole: 'owner',
            settings: s,
          },
          alice,
        ),
      )
      .thenThrows('NAMESPACE.EXISTS');
  });
});

describe('When changing visibility', () => {
  const vis = (visibility: 'private' | 'protected' | 'public', actorRole: 'owner' | 'viewer' | null, st = s) =>
    ({ visibility, actorRole, settings: st }) as const;
  const changed = (old: string, to: string) =>
    ({
      type: 'NamespaceVisibilityChanged',
      data: { id: 5, old, new: to, at: now },
    }) as NamespaceEvent;
  it('lets the team owner make it public', () => {
    spec(teamNs)
      .when(cmd('ChangeNamespaceVisibility', vis('public', 'owner'), alice))
      .then([changed('private', 'public')]);
  });
  it('lets a user open his personal namespace', () => {
    spec(personalNs)
      .when(cmd('ChangeNamespaceVisibility', vis('protected', 'owner'), alice))
      .then([changed('private', 'protected')]);
  });
  it('emits nothing when unchanged', () => {
    spec(teamNs)
      .when(cmd('ChangeNamespaceVisibility', vis('private', 'owner'), alice))
      .then([]);
  });
  it('refuses a viewer', () => {
    spec(teamNs)
      .when(cmd('ChangeNamespaceVisibility', vis('public', 'viewer'), alice))
      .thenThrows('NAMESPACE.FORBIDDEN');
  });
  it('refuses the owner when change_visibility is off', () => {
    spec(teamNs)
      .when(cmd('ChangeNamespaceVisibility', vis('public', 'owner', settings({ changeVisibility: false })), alice))
      .thenThrows('NAMESPACE.FORBIDDEN');
  });
  it('lets an admin change the global namespace to protected', () => {
    spec(globalNs)
      .when(cmd('ChangeNamespaceVisibility', vis('protected', null), admin))
      .then([changed('public', 'protected')]);
  });
  it('refuses a global-team owner who is not admin on the global namespace', () => {
    spec(globalNs)
      .when(cmd('ChangeNamespaceVisibility', vis('protected', 'owner'), alice))
      .thenThrows('NAMESPACE.FORBIDDEN');
  });
  it('refuses making the global namespace private, even for admins', () => {
    spec(globalNs)
      .when(cmd('ChangeNamespaceVisibility', vis('private', null), admin))
      .thenThrows('NAMESPACE.GLOBAL_PRIVATE');
  });
  it('refuses an unknown visibility', () => {
    spec(teamNs)
      .when(
        cmd('ChangeNamespaceVisibility', { visibility: 'secret' as 'public', actorRole: 'owner', settings: s }, alice),
      )
      .thenThrows('NAMESPACE.INVALID_VISIBILITY');
  });
});

describe('When changing team', () => {
  const move = (extra: Partial<Extract<NamespaceCommand, { type: 'ChangeNamespaceTeam' }>['data']> = {}) => ({
    teamId: 8,
    teamHidden: false,
    actorRole: 'owner' as const,
    actorRoleInNewTeam: 'contributor' as const,
    settings: s,
    ...extra,
  });
  const moved: NamespaceEvent = {
    type: 'NamespaceTeamChanged',
    data: { id: 5, old: 7, new: 8, at: now },
  };
  it('lets the owner move it to a team he contributes to', () => {
    spec(teamNs)
      .when(cmd('ChangeNamespaceTeam', move(), alice))
      .then([moved]);
  });
  it('lets an admin move it anywhere', () => {
    spec(teamNs)
      .when(cmd('ChangeNamespaceTeam', move({ actorRole: null, actorRoleInNewTeam: null }), admin))
      .then([moved]);
  });
  it('emits nothing for the same team', () => {
    spec(teamNs)
      .when(cmd('ChangeNamespaceTeam', move({ teamId: 7 }), alice))
      .then([]);
  });
  it('refuses a contributor of the current team', () => {
    spec(teamNs)
      .when(cmd('ChangeNamespaceTeam', move({ actorRole: 'contributor' }), alice))
      .thenThrows('NAMESPACE.FORBIDDEN');
  });
  it('refuses the owner when manage_namespace is off', () => {
    spec(teamNs)
      .when(cmd('ChangeNamespaceTeam', move({ settings: settings({ manageNamespace: false }) }), alice))
      .thenThrows('NAMESPACE.FORBIDDEN');
  });
  it('refuses moving into a team where he only views', () => {
    spec(teamNs)
      .when(cmd('ChangeNamespaceTeam', move({ actorRoleInNewTeam: 'viewer' }), alice))
      .thenThrows('NAMESPACE.NEW_TEAM_FORBIDDEN');
  });
  it('answers not-found for a hidden target team', () => {
    spec(teamNs)
      .when(cmd('ChangeNamespaceTeam', move({ teamHidden: true }), admin))
      .thenThrows('NAMESPACE.TEAM_NOT_FOUND');
  });
  it('refuses moving a personal namespace', () => {
    spec(personalNs)
      .when(cmd('ChangeNamespaceTeam', move(), admin))
      .thenThrows('NAMESPACE.TEAM_LOCKED');
  });
  it('refuses moving the global namespace', () => {
    spec(globalNs)
      .when(cmd('ChangeNamespaceTeam', move(), admin))
      .thenThrows('NAMESPACE.TEAM_LOCKED');
  });
});

describe('When describing and renaming', () => {
  it('lets the owner change the description', () => {
    spec(teamNs)
      .when(cmd('ChangeNamespaceDescription', { description: 'hi', actorRole: 'owner', settings: s }, alice))
      .then([
        {
          type: 'NamespaceDescriptionChanged',
          data: { id: 5, old: '', new: 'hi', at: now },
        },
      ]);
  });
  it('emits nothing for the same description', () => {
    spec(teamNs)
      .when(cmd('ChangeNamespaceDescription', { description: '', actorRole: 'owner', settings: s }, alice))
      .then([]);
  });
  it('refuses a contributor changing the description', () => {
    spec(teamNs)
      .when(cmd('ChangeNamespaceDescription', { description: 'hi', actorRole: 'contributor', settings: s }, alice))
      .thenThrows('NAMESPACE.FORBIDDEN');
  });
  it('refuses a description over 64 KiB', () => {
    spec(teamNs)
      .when(
        cmd('ChangeNamespaceDescription', { description: '€'.repeat(22000), actorRole: 'owner', settings: s }, alice),
      )
      .thenThrows('NAMESPACE.DESCRIPTION_TOO_LONG');
  });
  it('lets the owner rename a team namespace', () => {
    spec(teamNs)
      .when(cmd('RenameNamespace', { name: 'ops', actorRole: 'owner', settings: s }, alice))
      .then([
        {
          type: 'NamespaceRenamed',
          data: { id: 5, old: 'devs', new: 'ops', at: now },
        },
      ]);
  });
  it('emits nothing for the same name', () => {
    spec(teamNs)
      .when(cmd('RenameNamespace', { name: 'devs', actorRole: 'owner', settings: s }, alice))
      .then([]);
  });
  it('refuses an invalid name', () => {
    spec(teamNs)
      .when(cmd('RenameNamespace', { name: 'Ops!', actorRole: 'owner', settings: s }, alice))
      .thenThrows('NAMESPACE.INVALID_NAME');
  });
  it('refuses renaming a personal namespace', () => {
    spec(personalNs)
      .when(cmd('RenameNamespace', { name: 'bob', actorRole: 'owner', settings: s }, alice))
      .thenThrows('NAMESPACE.NAME_LOCKED');
  });
  it('refuses renaming the global namespace', () => {
    spec(globalNs)
      .when(cmd('RenameNamespace', { name: 'lib', actorRole: null, settings: s }, admin))
      .thenThrows('NAMESPACE.NAME_LOCKED');
  });
  it('refuses a viewer renaming', () => {
    spec(teamNs)
      .when(cmd('RenameNamespace', { name: 'ops', actorRole: 'viewer', settings: s }, alice))
      .thenThrows('NAMESPACE.FORBIDDEN');
  });
});

describe('When deleting', () => {
  const del = (actorRole: 'owner' | 'contributor' | 'viewer' | null, st = s) => ({ actorRole, settings: st });
  const deleted: NamespaceEvent = {
    type: 'NamespaceDeleted',
    data: { id: 5, name: 'devs', teamId: 7, registryId: 1, at: now },
  };
  it('lets the owner delete a team namespace', () => {
    spec(teamNs)
      .when(cmd('DeleteNamespace', del('owner'), alice))
      .then([deleted]);
  });
  it('lets an admin delete it', () => {
    spec(teamNs)
      .when(cmd('DeleteNamespace', del(null), admin))
      .then([deleted]);
  });
  it('refuses a contributor by default', () => {
    spec(teamNs)
      .when(cmd('DeleteNamespace', del('contributor'), alice))
      .thenThrows('NAMESPACE.FORBIDDEN');
  });
  it('lets a contributor delete with delete.contributors', () => {
    spec(teamNs)
      .when(cmd('DeleteNamespace', del('contributor', settings({}, { contributors: true })), alice))
      .then([deleted]);
  });
  it('refuses a viewer', () => {
    spec(teamNs)
      .when(cmd('DeleteNamespace', del('viewer'), alice))
      .thenThrows('NAMESPACE.FORBIDDEN');
  });
  it('refuses anonymous', () => {
    spec(teamNs)
      .when(cmd('DeleteNamespace', del('owner'), null))
      .thenThrows('NAMESPACE.FORBIDDEN');
  });
  it('refuses everyone when delete is disabled', () => {
    spec(teamNs)
      .when(cmd('DeleteNamespace', del(null, settings({}, { enabled: false })), admin))
      .thenThrows('NAMESPACE.DELETE_DISABLED');
  });
  it('refuses deleting the global namespace, even for admins', () => {
    spec(globalNs)
      .when(cmd('DeleteNamespace', del(null), admin))
      .thenThrows('NAMESPACE.GLOBAL_NOT_DELETABLE');
  });
  it('refuses deleting a personal namespace (Cannot remove personal namespace)', () => {
    spec(personalNs)
      .when(cmd('DeleteNamespace', del('owner'), alice))
      .thenThrows('NAMESPACE.PERSONAL_NOT_DELETABLE');
  });
  it('answers not-found once deleted', () => {
    spec([...teamNs, deleted])
      .when(cmd('DeleteNamespace', del(null), admin))
      .thenThrows('NAMESPACE.NOT_FOUND');
  });
});

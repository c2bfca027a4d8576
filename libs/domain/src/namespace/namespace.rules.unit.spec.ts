import type { ActorRef } from '../shared/message';
import type { PushPolicy, Settings } from '../settings/settings';
import { defaultSettings } from '../settings/settings';
import type { TeamRole } from '../team/team.events';
import type { NamespaceKind, Visibility } from './namespace.events';
import { namespaceCanDelete, namespaceCanPull, namespaceCanPush, validateNamespaceName } from './namespace.rules';
import { globalNamespaceName } from '../registry/registry.rules';

const admin: ActorRef = { id: 1, username: 'root', admin: true };
const alice: ActorRef = { id: 2, username: 'alice', admin: false };
const withPolicy = (pushImages: PushPolicy): Settings => ({
  ...defaultSettings,
  userPermission: { ...defaultSettings.userPermission, pushImages },
});

describe('validateNamespaceName', () => {
  it.each(['a', 'devs', 'a.b', 'a-b_c', 'x1', 'a'.repeat(255)])('accepts %j', (n) =>
    expect(validateNamespaceName(n)).toEqual([]),
  );
  it.each(['', 'A', 'a..b', '_a', 'a_', 'a/b', 'a b', 'é'])('refuses %j', (n) =>
    expect(validateNamespaceName(n).length).toBeGreaterThan(0),
  );
  it('says why a long name is refused', () =>
    expect(validateNamespaceName('a'.repeat(256))).toEqual(['name is too long (max 255)']));
  it('explains the grammar', () =>
    expect(validateNamespaceName('Foo')[0]).toMatch(/lower case alphanumeric characters/));
  it('accepts the global name (single underscores are separators)', () =>
    expect(validateNamespaceName(globalNamespaceName(1))).toEqual([]));
});

describe('namespaceCanPull', () => {
  it.each<[string, Visibility, NamespaceKind, ActorRef | null, TeamRole | null, boolean]>([
    ['anonymous pulls public', 'public', 'team', null, null, true],
    ['anonymous cannot pull protected', 'protected', 'team', null, null, false],
    ['anonymous cannot pull private', 'private', 'team', null, null, false],
    ['anonymous cannot pull private even with a role passed', 'private', 'team', null, 'owner', false],
    ['logged-in non-member pulls protected', 'protected', 'team', alice, null, true],
    ['logged-in non-member cannot pull private', 'private', 'team', alice, null, false],
    ['viewer pulls private', 'private', 'team', alice, 'viewer', true],
    ['owner pulls own personal', 'private', 'personal', alice, 'owner', true],
    ['admin pulls foreign private', 'private', 'personal', admin, null, true],
    ['anyone pulls the public global namespace', 'public', 'global', null, null, true],
  ])('%s', (_name, visibility, kind, actor, role, expected) => {
    expect(namespaceCanPull({ visibility, kind }, actor, role)).toBe(expected);
  });
});

describe('namespaceCanPush', () => {
  const team = { kind: 'team' as const, ownerUserId: null };
  const own = { kind: 'personal' as const, ownerUserId: 2 };
  const foreign = { kind: 'personal' as const, ownerUserId: 3 };
  const global = { kind: 'global' as const, ownerUserId: null };
  type Ns = { kind: NamespaceKind; ownerUserId: number | null };
  it.each<[string, ActorRef | null, TeamRole | null, Ns, PushPolicy, boolean]>([
    ['anonymous never pushes', null, 'owner', team, 'allow-teams', false],
    ['viewer asking push is denied', alice, 'viewer', team, 'allow-teams', false],
    ['contributor pushes under allow-teams', alice, 'contributor', team, 'allow-teams', true],
    ['owner pushes under allow-teams', alice, 'owner', team, 'allow-teams', true],
    ['non-member cannot push', alice, null, team, 'allow-teams', false],
    ['user pushes to own personal', alice, 'owner', own, 'allow-teams', true],
    [
      'user cannot push to a foreign personal namespace even if told owner',
      alice,
      'owner',
      foreign,
      'allow-teams',
      false,
    ],
    ['global-team owner who is not admin cannot push to global', alice, 'owner', global, 'allow-teams', false],
    ['admin pushes to global', admin, null, global, 'allow-teams', true],
    ['admin pushes anywhere', admin, null, foreign, 'allow-teams', true],
    ['owner loses team push under allow-personal', alice, 'owner', team, 'allow-personal', false],
    ['user keeps personal push under allow-personal', alice, 'owner', own, 'allow-personal', true],
    ['admin pushes under allow-personal', admin, null, team, 'allow-personal', true],
    ['user cannot push own personal under admin-only', alice, 'owner', own, 'admin-only', false],
    ['admin pushes under admin-only', admin, null, team, 'admin-only', true],
    ['unknown policy denies users', alice, 'owner', own, 'allow-everyone' as PushPolicy, false],
    ['unknown policy denies admins too', admin, null, team, 'allow-everyone' as PushPolicy, false],
  ])('%s', (_name, actor, role, ns, policy, expected) => {
    expect(namespaceCanPush(actor, role, ns, withPolicy(policy))).toBe(expected);
  });
});

describe('namespaceCanDelete', () => {
  const del = (enabled: boolean, contributors: boolean): Settings => ({
    ...defaultSettings,
    delete: { enabled, contributors },
  });
  it.each<[string, ActorRef | null, TeamRole | null, Settings, boolean]>([
    ['anonymous cannot delete', null, 'owner', del(true, true), false],
    ['owner deletes', alice, 'owner', del(true, false), true],
    ['contributor cannot by default', alice, 'contributor', del(true, false), false],
    ['contributor deletes with delete.contributors', alice, 'contributor', del(true, true), true],
    ['viewer never deletes', alice, 'viewer', del(true, true), false],
    ['admin deletes', admin, null, del(true, false), true],
    ['nobody deletes when delete is off, admins included', admin, 'owner', del(false, true), false],
    [
      'owner deletes under admin-only push policy',
      alice,
      'owner',
      {
        ...withPolicy('admin-only'),
        delete: { enabled: true, contributors: false },
      },
      true,
    ],
  ])('%s', (_name, actor, role, settings, expected) => {
    expect(namespaceCanDelete(actor, role, settings)).toBe(expected);
  });
});

import { defaultSettings, type Settings } from '../settings/settings';
import type { TeamRole } from '../team/team.events';
import type { NamespaceKind, Visibility } from '../namespace/namespace.events';
import { evaluateAccess, namespaceOfRepository, type AccessActor, type NamespaceFacts } from './evaluate-access';
import { mergeScopes, parseScopes, type ResourceScope } from './scope';

const anon: AccessActor = null;
const alice: AccessActor = { id: 2, admin: false };
const root: AccessActor = { id: 1, admin: true };

const ns = (
  kind: NamespaceKind,
  visibility: Visibility,
  actorRole: TeamRole | null,
  ownerUserId: number | null = null,
) => ({ exists: true, kind, visibility, actorRole, ownerUserId }) as const;
const pub = ns('team', 'public', null);
const prot = ns('team', 'protected', null);
const priv = ns('team', 'private', null);
const viewer = ns('team', 'private', 'viewer');
const contributor = ns('team', 'private', 'contributor');
const owner = ns('team', 'private', 'owner');
const ownPersonal = ns('personal', 'private', 'owner', 2);
const othersPersonal = ns('personal', 'private', null, 3);
const globalNs = ns('global', 'public', null);
const globalAsAdmin = ns('global', 'public', 'owner');

const SETTINGS = {
  default: defaultSettings,
  allowPersonal: {
    ...defaultSettings,
    userPermission: { ...defaultSettings.userPermission, pushImages: 'allow-personal' },
  },
  adminOnly: { ...defaultSettings, userPermission: { ...defaultSettings.userPermission, pushImages: 'admin-only' } },
  bogusPolicy: { ...defaultSettings, userPermission: { ...defaultSettings.userPermission, pushImages: 'lala' } },
  noDelete: { ...defaultSettings, delete: { enabled: false, contributors: true } },
  contributorsDelete: { ...defaultSettings, delete: { enabled: true, contributors: true } },
  autoCreate: { ...defaultSettings, namespace: { autoCreateOnPush: true } },
  autoCreateAllowPersonal: {
    ...defaultSettings,
    namespace: { autoCreateOnPush: true },
    userPermission: { ...defaultSettings.userPermission, pushImages: 'allow-personal' },
  },
  autoCreateNoCreate: {
    ...defaultSettings,
    namespace: { autoCreateOnPush: true },
    userPermission: { ...defaultSettings.userPermission, createNamespace: false },
  },
} as unknown as Record<string, Settings>;

/**
 * Row: `ns` holds the facts of the namespace the scope's repository lives in (null: it does not exist);
 * `scope` is a string (parsed) or an object (to feed names the parser would refuse); `want` the actions
 * granted for it (an empty list: the resource is left out of the token).
 */
interface Row {
  actor: AccessActor;
  ns: NamespaceFacts | null;
  scope: string | ResourceScope;
  want: string[];
  s?: keyof typeof SETTINGS;
  autoCreate?: string[];
}

const rows: Row[] = [
  { actor: anon, ns: pub, scope: 'repository:ns/img:pull', want: ['pull'] }, // 3: anonymous pulls public
  { actor: anon, ns: priv, scope: 'repository:ns/img:pull', want: [] }, // 3: …not private
  { actor: anon, ns: prot, scope: 'repository:ns/img:pull', want: [] }, // 3: …not protected
  { actor: anon, ns: pub, scope: 'repository:ns/img:pull,push,delete,*', want: ['pull'] }, // anonymous never writes
  { actor: alice, ns: prot, scope: 'repository:ns/img:pull,push', want: ['pull'] }, // 4: non-member pulls protected
  { actor: alice, ns: priv, scope: 'repository:ns/img:pull,push', want: [] }, // 4: nothing on private
  { actor: alice, ns: pub, scope: 'repository:ns/img:push,pull', want: ['pull'] }, // visibility never gives push
  { actor: alice, ns: viewer, scope: 'repository:ns/img:push,pull', want: ['pull'] }, // 5: viewer pulls only
  { actor: alice, ns: contributor, scope: 'repository:ns/img:push,pull', want: ['pull', 'push'] }, // 6
  { actor: alice, ns: contributor, scope: 'repository:ns/img:*', want: [] }, // 6: no `*` for contributors…
  { actor: alice, ns: contributor, scope: 'repository:ns/img:delete', want: [] }, // 6: …nor delete
  { actor: alice, ns: contributor, scope: 'repository:ns/img:*', want: ['*'], s: 'contributorsDelete' }, // 6: unless delete.contributors
  { actor: alice, ns: contributor, scope: 'repository:ns/img:delete', want: ['delete'], s: 'contributorsDelete' }, // 6
  { actor: alice, ns: owner, scope: 'repository:ns/img:push,pull,*', want: ['*', 'pull', 'push'] }, // 7: owner gets all
  { actor: alice, ns: owner, scope: 'repository:ns/img:*,delete,pull,push', want: ['pull', 'push'], s: 'noDelete' }, // 7: delete.enabled=false
  { actor: root, ns: priv, scope: 'repository:ns/img:*,delete,pull', want: ['pull'], s: 'noDelete' }, // 7: …admins included
  { actor: alice, ns: ownPersonal, scope: 'repository:alice/img:push,pull', want: ['pull', 'push'] }, // 8: own personal
  { actor: alice, ns: ownPersonal, scope: 'repository:alice/img:*', want: ['*'] }, // 8: owner deletes in personal
  { actor: alice, ns: othersPersonal, scope: 'repository:bob/img:pull,push,*', want: [] }, // 8: not in another's
  { actor: alice, ns: globalNs, scope: 'repository:busybox:push,pull', want: ['pull'] }, // 9: global, non-admin
  { actor: root, ns: globalAsAdmin, scope: 'repository:busybox:push,pull', want: ['pull', 'push'] }, // 9: admin pushes
  { actor: root, ns: globalAsAdmin, scope: 'repository:busybox:*', want: ['*'] }, // admins delete in global
  { actor: alice, ns: owner, scope: 'repository:ns/img:push,pull', want: ['pull'], s: 'allowPersonal' }, // 10: owner loses push on T
  { actor: alice, ns: contributor, scope: 'repository:ns/img:push', want: [], s: 'allowPersonal' }, // 10: contributor too
  { actor: alice, ns: ownPersonal, scope: 'repository:alice/img:push', want: ['push'], s: 'allowPersonal' }, // 10: keeps personal
  { actor: alice, ns: ownPersonal, scope: 'repository:alice/img:push,pull', want: ['pull'], s: 'adminOnly' }, // 10: admin-only
  { actor: root, ns: priv, scope: 'repository:ns/img:push,pull', want: ['pull', 'push'], s: 'adminOnly' }, // 10: admins push
  { actor: alice, ns: ownPersonal, scope: 'repository:alice/img:delete', want: ['delete'], s: 'adminOnly' }, // delete ignores push policy
  { actor: alice, ns: ownPersonal, scope: 'repository:alice/img:*', want: [], s: 'adminOnly' }, // but `*` would mean push too
  { actor: root, ns: priv, scope: 'repository:ns/img:push,pull', want: ['pull'], s: 'bogusPolicy' }, // 10: unknown policy, nobody pushes
  { actor: root, ns: null, scope: 'registry:catalog:*', want: ['*'] }, // 11: admin lists the catalog
  { actor: alice, ns: null, scope: 'registry:catalog:*', want: [] }, // 11: others do not
  { actor: anon, ns: null, scope: 'registry:catalog:*', want: [] }, // 11: nor anonymous
  { actor: root, ns: null, scope: 'registry:catalog:pull', want: [] }, // only `*` means anything on the catalog
  { actor: root, ns: null, scope: 'registry:other:*', want: [] }, // unknown registry resource
  { actor: alice, ns: pub, scope: 'repository:ns/img:fork,pull', want: ['pull'] }, // 12: unknown action dropped
  { actor: root, ns: pub, scope: 'lala:ns/img:pull', want: [] }, // unknown type dropped
  { actor: alice, ns: pub, scope: 'repository(plugin):ns/img:pull', want: ['pull'] }, // class is ignored
  { actor: alice, ns: priv, scope: 'repository:ns/img:*,pull', want: [] }, // 17: `*,pull` smuggles nothing
  { actor: alice, ns: viewer, scope: 'repository:ns/img:*,pull', want: ['pull'] }, // 17: each action on its own
  { actor: alice, ns: pub, scope: 'repository:ns/img:', want: [] }, // empty actions: left out
  { actor: root, ns: owner, scope: { type: 'repository', name: 'ns/../img', actions: ['pull'] }, want: [] }, // `..` component
  { actor: root, ns: owner, scope: { type: 'repository', name: '../ns/img', actions: ['pull'] }, want: [] }, // `..` as namespace
  { actor: root, ns: owner, scope: { type: 'repository', name: 'NS/img', actions: ['pull'] }, want: [] }, // uppercase namespace
  { actor: root, ns: owner, scope: { type: 'repository', name: 'ns/IMG', actions: ['pull'] }, want: [] }, // uppercase repository
  { actor: root, ns: owner, scope: { type: 'repository', name: 'ns%2Fimg', actions: ['pull'] }, want: [] }, // encoded slash
  { actor: root, ns: owner, scope: { type: 'repository', name: '*', actions: ['pull'] }, want: [] }, // `*` as a name
  { actor: root, ns: owner, scope: { type: 'repository', name: 'ns/*', actions: ['pull'] }, want: [] }, // glob as a name
  { actor: root, ns: owner, scope: { type: 'repository', name: '', actions: ['pull'] }, want: [] }, // empty name
  { actor: root, ns: owner, scope: 'repository:localhost:5000/ns/img:pull', want: [] }, // hostname-qualified: not ours
  { actor: alice, ns: owner, scope: { type: 'repository', name: 'ns/img', actions: ['PULL', 'Push'] }, want: [] }, // actions are case-sensitive
  { actor: root, ns: null, scope: 'repository:ghost/img:push,pull', want: [] }, // unknown namespace: admins refused too
  { actor: alice, ns: null, scope: 'repository:ghost/img:push,pull', want: [] }, // …and users
  {
    actor: alice,
    ns: null,
    scope: 'repository:ghost/img:push,pull',
    want: ['pull', 'push'],
    s: 'autoCreate',
    autoCreate: ['ghost'],
  }, // auto-create for a user who may create
  { actor: alice, ns: null, scope: 'repository:ghost/img:pull', want: [], s: 'autoCreate' }, // a pull creates nothing
  { actor: alice, ns: null, scope: 'repository:ghost/img:*,delete', want: [], s: 'autoCreate' }, // nor a delete
  { actor: anon, ns: null, scope: 'repository:ghost/img:push,pull', want: [], s: 'autoCreate' }, // anonymous never creates
  { actor: alice, ns: null, scope: 'repository:ghost/img:push', want: [], s: 'autoCreateNoCreate' }, // create_namespace off
  { actor: alice, ns: null, scope: 'repository:ghost/img:push', want: [], s: 'autoCreateAllowPersonal' }, // could not push there afterwards
  {
    actor: root,
    ns: null,
    scope: 'repository:ghost/img:push',
    want: ['push'],
    s: 'autoCreateAllowPersonal',
    autoCreate: ['ghost'],
  }, // admins may
  { actor: root, ns: null, scope: 'repository:busybox:push', want: [], s: 'autoCreate' }, // the global namespace is never auto-created
];

describe('evaluateAccess', () => {
  it.each(rows)('%j', (row) => {
    const scopes = typeof row.scope === 'string' ? mergeScopes(parseScopes([row.scope])) : [row.scope];
    const name = scopes[0].name;
    const namespaces = new Map<string | null, NamespaceFacts>();
    if (row.ns) namespaces.set(namespaceOfRepository(name), row.ns);
    const decision = evaluateAccess({
      actor: row.actor,
      serviceKnown: true,
      scopes,
      namespaces,
      settings: SETTINGS[row.s ?? 'default'],
    });
    const expected = row.want.length ? [{ type: scopes[0].type, name, actions: row.want }] : [];
    expect(decision.access).toEqual(expected);
    expect(decision.autoCreate).toEqual(row.autoCreate ?? []);
  });

  const base = { actor: root, serviceKnown: true, namespaces: new Map(), settings: defaultSettings };

  it('gives nothing for an unknown service, not even to admins (14)', () =>
    expect(evaluateAccess({ ...base, serviceKnown: false, scopes: parseScopes(['registry:catalog:*']) })).toEqual({
      access: [],
      autoCreate: [],
    }));
  it('leaves the claim out for a login (known service, no scope) (1)', () =>
    expect(evaluateAccess({ ...base, scopes: [] }).access).toBeNull());
  it('answers an empty list for an unknown service without scopes (14)', () =>
    expect(evaluateAccess({ ...base, serviceKnown: false, scopes: [] }).access).toEqual([]));
  it('reads `alice` (no slash) as a global repository, never as the namespace alice', () => {
    const namespaces = new Map<string | null, NamespaceFacts>([
      ['alice', ownPersonal],
      [null, globalNs],
    ]);
    const scopes = parseScopes(['repository:alice:push,pull']);
    expect(evaluateAccess({ ...base, actor: alice, namespaces, scopes }).access).toEqual([
      { type: 'repository', name: 'alice', actions: ['pull'] },
    ]);
  });
  it('decides several resources in one request, each against its own namespace', () => {
    const namespaces = new Map<string | null, NamespaceFacts>([
      ['a', contributor],
      ['b', priv],
      [null, globalNs],
    ]);
    const scopes = mergeScopes(
      parseScopes(['repository:a/x:push', 'repository:a/x:pull repository:b/y:pull', 'repository:z:pull']),
    );
    expect(evaluateAccess({ ...base, actor: alice, namespaces, scopes }).access).toEqual([
      { type: 'repository', name: 'a/x', actions: ['pull', 'push'] },
      { type: 'repository', name: 'z', actions: ['pull'] },
    ]);
  });
});

describe('namespaceOfRepository', () => {
  it.each([
    ['a/b', 'a'], // first component
    ['a/b/c', 'a'], // nested: still the first
    ['busybox', null], // no slash: global
  ])('%j → %j', (name, want) => expect(namespaceOfRepository(name)).toBe(want));
});

import type { NewEvent } from '@portcullis/persistence';
import type { Actor, ProjectedEvent } from '../projection';

/** ScenarioStepForTests is one append: a stream and its events, with the api's metadata. */
export interface ScenarioStepForTests {
  streamId: string;
  events: NewEvent[];
}

/**
 * realisticScenarioForTests generates a coherent history like the api would write: a registry with its
 * global team and namespace, users with personal teams and namespaces, teams, members and role changes,
 * namespaces with visibility/team/name changes and deletions, tokens, admin flips, disabled and deleted
 * users, and reservation events no projection reads. Deterministic for a given seed.
 */
export function realisticScenarioForTests(seed = 42, users = 40, teams = 12): ScenarioStepForTests[] {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  let clock = Date.UTC(2030, 0, 1);
  const at = () => new Date((clock += 60_000)).toISOString();
  let nextId = 1000;
  const id = () => nextId++;

  const steps: ScenarioStepForTests[] = [];
  const add = (streamId: string, actor: Actor | null, ...events: ProjectedEvent[]) =>
    steps.push({
      streamId,
      events: events.map((e) => ({
        type: e.type,
        data: e.data as unknown as Record<string, unknown>,
        metadata: { actor, correlationId: `c${steps.length}` },
      })),
    });
  const reserve = (kind: string, value: string, ownerId: number) =>
    steps.push({
      streamId: `unique-${kind}-${value}`,
      events: [{ type: 'NameReserved', data: { kind, value, ownerId, at: at() } }],
    });

  const admin: Actor = { id: 1, username: 'admin' };
  const live = new Map<number, { username: string; admin: boolean; tokens: number[] }>();
  const members = new Map<number, Map<number, 'viewer' | 'contributor' | 'owner'>>();
  const namespaces = new Map<number, { name: string; teamId: number; kind: string }>();
  const teamNames = new Map<number, string>();

  const register = (uid: number, username: string, isAdmin: boolean, actor: Actor | null) => {
    reserve('username', username, uid);
    add(`user-${uid}`, actor, {
      type: 'UserRegistered',
      data: {
        id: uid,
        username,
        email: `${username}@example.com`,
        displayName: random() < 0.5 ? username.toUpperCase() : null,
        passwordHash: `$argon2id$hash-${uid}`,
        admin: isAdmin,
        bot: false,
        at: at(),
      },
    });
    live.set(uid, { username, admin: isAdmin, tokens: [] });
  };
  const createTeam = (
    tid: number,
    name: string,
    kind: 'team' | 'personal' | 'global',
    ownerId: number,
    actor: Actor | null,
  ) => {
    const t = at();
    add(
      `team-${tid}`,
      actor,
      {
        type: 'TeamCreated',
        data: {
          id: tid,
          name,
          description: '',
          kind,
          hidden: kind !== 'team',
          ownerId,
          at: t,
        },
      },
      {
        type: 'TeamMemberAdded',
        data: { teamId: tid, userId: ownerId, role: 'owner', at: t },
      },
    );
    members.set(tid, new Map([[ownerId, 'owner']]));
    teamNames.set(tid, name);
  };
  const createNamespace = (
    nid: number,
    name: string,
    teamId: number,
    kind: 'team' | 'personal' | 'global',
    owner: number | null,
    actor: Actor | null,
  ) => {
    reserve('namespace', name, nid);
    add(`namespace-${nid}`, actor, {
      type: 'NamespaceCreated',
      data: {
        id: nid,
        name,
        kind,
        registryId: 1,
        teamId,
        ownerUserId: owner,
        description: kind === 'personal' ? `This personal namespace belongs to ${name}.` : '',
        visibility: kind === 'global' ? 'public' : 'private',
        at: at(),
      },
    });
    namespaces.set(nid, { name, teamId, kind });
  };

  register(1, 'admin', true, null);
  add('registry-1', admin, {
    type: 'RegistryCreated',
    data: {
      id: 1,
      name: 'main',
      hostname: 'registry:5000',
      useSsl: false,
      externalHostname: null,
      at: at(),
    },
  });
  createTeam(2, 'portus_global_team_1', 'global', 1, null);
  createNamespace(3, 'portus_global_namespace_1', 2, 'global', null, null);

  for (let u = 0; u < users; u++) {
    const uid = id();
    const username = `user${u}`;
    register(uid, username, false, admin);
    const tid = id();
    createTeam(tid, username, 'personal', uid, null);
    createNamespace(id(), username, tid, 'personal', uid, null);
  }
  const userIds = () => [...live.keys()].filter((u) => u !== 1);

  for (let t = 0; t < teams; t++) {
    const owner = pick(userIds());
    const actor = { id: owner, username: live.get(owner)?.username ?? '?' };
    const tid = id();
    reserve('team', `team${t}`, tid);
    createTeam(tid, `team${t}`, 'team', owner, actor);
    createNamespace(id(), `ns${t}`, tid, 'team', null, actor);
  }
  const teamIds = () => [...teamNames.keys()].filter((t) => !/^(user\d+|portus_)/.test(teamNames.get(t) ?? ''));

  for (let step = 0; step < 400; step++) {
    const r = random();
    const tid = pick(teamIds());
    const team = members.get(tid) ?? new Map();
    const uid = pick(userIds());
    const actor = admin;
    if (r < 0.25) {
      const role = team.get(uid);
      if (role === undefined) {
        const newRole = pick(['viewer', 'contributor', 'owner'] as const);
        team.set(uid, newRole);
        add(`team-${tid}`, actor, {
          type: 'TeamMemberAdded',
          data: { teamId: tid, userId: uid, role: newRole, at: at() },
        });
      } else if (random() < 0.5) {
        const newRole = pick((['viewer', 'contributor', 'owner'] as const).filter((x) => x !== role));
        team.set(uid, newRole);
        add(`team-${tid}`, actor, {
          type: 'TeamMemberRoleChanged',
          data: { teamId: tid, userId: uid, oldRole: role, newRole, at: at() },
        });
      } else if ([...team.values()].filter((x) => x === 'owner').length > 1 || role !== 'owner') {
        team.delete(uid);
        add(`team-${tid}`, actor, {
          type: 'TeamMemberRemoved',
          data: { teamId: tid, userId: uid, role, at: at() },
        });
      }
    } else if (r < 0.45) {
      const teamNs = [...namespaces].filter(([, n]) => n.kind === 'team');
      if (teamNs.length === 0) continue;
      const [nid, ns] = pick(teamNs);
      const which = random();
      if (which < 0.4) {
        const from = pick(['private', 'protected', 'public'] as const);
        const to = pick((['private', 'protected', 'public'] as const).filter((v) => v !== from));
        add(`namespace-${nid}`, actor, {
          type: 'NamespaceVisibilityChanged',
          data: { id: nid, old: from, new: to, at: at() },
        });
      } else if (which < 0.6) {
        const to = pick(teamIds());
        add(`namespace-${nid}`, actor, {
          type: 'NamespaceTeamChanged',
          data: { id: nid, old: ns.teamId, new: to, at: at() },
        });
        ns.teamId = to;
      } else if (which < 0.75) {
        add(`namespace-${nid}`, actor, {
          type: 'NamespaceDescriptionChanged',
          data: { id: nid, old: '', new: `about ${ns.name} ${step}`, at: at() },
        });
      } else if (which < 0.9) {
        const name = `${ns.name}-r${step}`;
        reserve('namespace', name, nid);
        add(`namespace-${nid}`, actor, {
          type: 'NamespaceRenamed',
          data: { id: nid, old: ns.name, new: name, at: at() },
        });
        ns.name = name;
      } else {
        add(`namespace-${nid}`, actor, {
          type: 'NamespaceDeleted',
          data: {
            id: nid,
            name: ns.name,
            teamId: ns.teamId,
            registryId: 1,
            at: at(),
          },
        });
        namespaces.delete(nid);
      }
    } else if (r < 0.55) {
      const nid = id();
      createNamespace(nid, `extra${step}`, tid, 'team', null, actor);
    } else if (r < 0.7) {
      const user = live.get(uid);
      if (!user) continue;
      if (user.tokens.length > 0 && random() < 0.4) {
        const tokenId = user.tokens.shift() as number;
        add(
          `user-${uid}`,
          { id: uid, username: user.username },
          {
            type: 'ApplicationTokenRevoked',
            data: {
              userId: uid,
              tokenId,
              application: `app${tokenId}`,
              at: at(),
            },
          },
        );
      } else if (user.tokens.length < 5) {
        const tokenId = id();
        user.tokens.push(tokenId);
        add(
          `user-${uid}`,
          { id: uid, username: user.username },
          {
            type: 'ApplicationTokenCreated',
            data: {
              userId: uid,
              tokenId,
              application: `app${tokenId}`,
              tokenHash: `sha-${tokenId}`,
              expiresAt: null,
              at: at(),
            },
          },
        );
      }
    } else if (r < 0.8) {
      const user = live.get(uid);
      if (!user) continue;
      const kind = pick([
        'UserDisabled',
        'UserEnabled',
        'UserAdminGranted',
        'UserAdminRevoked',
        'UserPasswordChanged',
      ] as const);
      if (kind === 'UserPasswordChanged') {
        add(`user-${uid}`, admin, {
          type: kind,
          data: { id: uid, passwordHash: `$argon2id$new-${step}`, at: at() },
        });
      } else {
        add(`user-${uid}`, admin, { type: kind, data: { id: uid, at: at() } });
      }
    } else if (r < 0.88) {
      const user = live.get(uid);
      if (!user) continue;
      const changes =
        random() < 0.5 ? { email: `${user.username}+${step}@example.com` } : { displayName: `Name ${step}` };
      add(`user-${uid}`, admin, {
        type: 'UserUpdated',
        data: { id: uid, changes, previous: {}, at: at() },
      });
    } else if (r < 0.94) {
      const name = `${teamNames.get(tid)}-r${step}`;
      add(`team-${tid}`, actor, {
        type: 'TeamRenamed',
        data: { id: tid, old: teamNames.get(tid) ?? '', new: name, at: at() },
      });
      teamNames.set(tid, name);
      add(`team-${tid}`, actor, {
        type: 'TeamDescriptionChanged',
        data: { id: tid, old: '', new: `desc ${step}`, at: at() },
      });
    } else if (r < 0.97 && live.size > users / 2) {
      const user = live.get(uid);
      if (!user) continue;
      // Sole owners stay: the domain refuses to leave a team without one.
      if (
        [...members.values()].some(
          (m) => m.get(uid) === 'owner' && [...m.values()].filter((x) => x === 'owner').length === 1,
        )
      )
        continue;
      for (const m of members.values()) m.delete(uid);
      add(`user-${uid}`, admin, {
        type: 'UserDeleted',
        data: { id: uid, username: user.username, at: at() },
      });
      live.delete(uid);
    } else {
      const nid = id();
      const username = `late${step}`;
      register(nid, username, false, null);
    }
  }
  return steps;
}

import type { Collection, Doc, RecordedEvent } from '@portcullis/persistence';
import { Collections } from '../collections';
import type { ProjectedEvent, Projection } from '../projection';
import { actorOf, asProjectedEvent, index } from '../projection';
import { WEBHOOK_ACTIVITY_EVENTS, rememberWebhook, webhookActivity } from './webhook-activities';

/** TrackableType is what an activity is about, named as Portus's polymorphic `trackable_type`. */
export type TrackableType = 'Team' | 'Namespace' | 'User' | 'ApplicationToken' | 'Registry' | 'Repository' | 'Webhook';

/**
 * ActivityDoc is one audit-log entry (`activities`, `_id` = event id, `id` = global position), shaped like
 * Portus's public_activity row. Owner fields are copied from the event's actor, so they survive user deletion.
 */
export interface ActivityDoc extends Doc {
  id: number;
  key: string;
  owner_id: number | null;
  owner_name: string | null;
  trackable_type: TrackableType;
  trackable_id: number;
  recipient_type: 'User' | 'Namespace' | 'Tag' | 'Repository' | null;
  recipient_id: number | null;
  /** namespace_id and team_id say whose activity this is, for visibility filtering. */
  namespace_id: number | null;
  team_id: number | null;
  parameters: Record<string, unknown>;
  /** hidden marks activities of Portus's hidden teams (personal, global): kept, but not on the dashboard. */
  hidden: boolean;
  created_at: string;
}

/**
 * NameDoc is the activities projection's own memory of names (`activity_names`): `team:<id>`,
 * `user:<id>`, `namespace:<id>`. It owns it rather than reading `teams`/`users`, whose checkpoints may
 * differ from its own, so a rebuild and an incremental run see the same names.
 */
interface NameDoc extends Doc {
  name: string;
  hidden?: boolean;
  team_id?: number;
}

const activities = Collections.activities;
const names = Collections.activityNames;

// owner_id/owner_name default to the event's metadata actor; registry events name their own (the registry's user).
type Fields = Pick<ActivityDoc, 'key' | 'trackable_type' | 'trackable_id'> &
  Partial<Omit<ActivityDoc, '_id' | 'id' | 'created_at'>>;

/** activitiesProjection maintains `activities`, one per event, keyed by event id so replays overwrite. */
export const activitiesProjection: Projection = {
  name: 'activities',
  collections: [activities, names],
  indexes: {
    [activities]: [
      // id is the global position: the export pages by it (keyset) newest first.
      index(activities, 'id'),
      index(activities, 'created_at'),
      index(activities, 'owner_id'),
      index(activities, 'namespace_id'),
      index(activities, 'team_id'),
      index(activities, 'key'),
    ],
  },
  canHandle: [
    'UserRegistered',
    'UserUpdated',
    'UserPasswordChanged',
    'UserDisabled',
    'UserEnabled',
    'UserAdminGranted',
    'UserAdminRevoked',
    'UserDeleted',
    'ApplicationTokenCreated',
    'ApplicationTokenRevoked',
    'TeamCreated',
    'TeamRenamed',
    'TeamDescriptionChanged',
    'TeamMemberAdded',
    'TeamMemberRoleChanged',
    'TeamMemberRemoved',
    'NamespaceCreated',
    'NamespaceVisibilityChanged',
    'NamespaceTeamChanged',
    'NamespaceDescriptionChanged',
    'NamespaceRenamed',
    'NamespaceDeleted',
    'RegistryCreated',
    'RegistryUpdated',
    'ImagePushed',
    'TagDiscovered',
    'TagDeleted',
    'TagVanished',
    'RepositoryDeleted',
    ...WEBHOOK_ACTIVITY_EVENTS,
    'SessionStarted',
    'SessionEnded',
    'LoginFailed',
    'UserLocked',
    'UserUnlocked',
  ],
  async apply(recorded, store) {
    const event = asProjectedEvent(recorded);
    const lookup = new Names(store.collection<NameDoc>(names));
    const col = store.collection<ActivityDoc>(activities);
    // An activity is an immutable fact about its event: written once, never recomputed. Recomputing on a
    // replay would quote names as they are *later* (a rename after the event), breaking idempotency.
    if ((await col.get(recorded.id)) === null) {
      // Webhook events are mapped in their own module (they are not ProjectedEvents).
      const fields = (WEBHOOK_ACTIVITY_EVENTS as readonly string[]).includes(recorded.type)
        ? await webhookActivity(recorded, store.collection(names))
        : await activityFor(event, lookup);
      const actor = actorOf(recorded);
      await col.upsert({
        recipient_type: null,
        recipient_id: null,
        namespace_id: null,
        team_id: null,
        parameters: {},
        hidden: false,
        owner_id: actor?.id ?? null,
        owner_name: actor?.username ?? null,
        ...fields,
        _id: recorded.id,
        id: Number(recorded.position),
        created_at: atOf(event, recorded),
      });
    }
    // After the activity, so a crash in between still records the names on the replay.
    await lookup.remember(event);
    await rememberWebhook(recorded, store.collection(names));
  },
};

function atOf(event: ProjectedEvent, recorded: RecordedEvent): string {
  return event.data.at ?? recorded.created;
}

/** activityFor maps one event to Portus's activity key, trackable, recipient and parameters. */
async function activityFor(event: ProjectedEvent, names: Names): Promise<Fields> {
  switch (event.type) {
    case 'UserRegistered':
      return user('user.create', event.data.id, {
        username: event.data.username,
      });
    case 'UserUpdated':
      return user('user.update', event.data.id, {
        username: event.data.changes.username ?? (await names.user(event.data.id)),
        // Which fields changed, not their values: e-mail addresses are personal data.
        fields: Object.keys(event.data.changes).sort(),
      });
    case 'UserPasswordChanged':
      // Never the hash: the activity log is readable by admins and exported as CSV.
      return user('user.change_password', event.data.id, {
        username: await names.user(event.data.id),
      });
    case 'UserDisabled':
    case 'UserEnabled':
    case 'UserAdminGranted':
    case 'UserAdminRevoked':
      return user(userKeys[event.type], event.data.id, {
        username: await names.user(event.data.id),
      });
    case 'UserDeleted':
      return user('user.delete', event.data.id, {
        username: event.data.username,
      });
    case 'ApplicationTokenCreated':
    case 'ApplicationTokenRevoked':
      return {
        key: event.type === 'ApplicationTokenCreated' ? 'application_token.create' : 'application_token.destroy',
        trackable_type: 'ApplicationToken',
        trackable_id: event.data.tokenId,
        recipient_type: 'User',
        recipient_id: event.data.userId,
        parameters: { application: event.data.application },
      };
    case 'TeamCreated':
      return {
        ...team('team.create', event.data.id, event.data.hidden),
        parameters: { team: event.data.name, ...(event.data.cause ? { cause: event.data.cause } : {}) },
      };
    case 'TeamRenamed':
    case 'TeamDescriptionChanged': {
      const t = await names.team(event.data.id);
      return {
        ...team(
          event.type === 'TeamRenamed' ? 'team.change_team_name' : 'team.change_team_description',
          event.data.id,
          t.hidden,
        ),
        parameters: {
          old: event.data.old,
          new: event.data.new,
          team: event.type === 'TeamRenamed' ? event.data.new : t.name,
        },
      };
    }
    case 'TeamMemberAdded':
    case 'TeamMemberRemoved':
    case 'TeamMemberRoleChanged': {
      const { teamId, userId } = event.data;
      const t = await names.team(teamId);
      const roles =
        event.type === 'TeamMemberRoleChanged'
          ? { old_role: event.data.oldRole, new_role: event.data.newRole }
          : { role: event.data.role };
      return {
        ...team(memberKeys[event.type], teamId, t.hidden),
        recipient_type: 'User',
        recipient_id: userId,
        parameters: {
          ...roles,
          team: t.name,
          team_user: await names.user(userId),
          // Changes the system made for an LDAP group say so (optional: older events have no cause).
          ...('cause' in event.data && event.data.cause ? { cause: event.data.cause } : {}),
        },
      };
    }
    case 'NamespaceCreated': {
      const { id, teamId, kind } = event.data;
      return {
        ...namespace('namespace.create', id, teamId),
        // Personal and global namespaces are made by the system for hidden teams; Portus logs nothing.
        hidden: kind !== 'team',
        parameters: { team: (await names.team(teamId)).name },
      };
    }
    case 'NamespaceVisibilityChanged':
      return {
        ...namespace('namespace.change_visibility', event.data.id, await names.namespaceTeam(event.data.id)),
        parameters: { visibility: event.data.new },
      };
    case 'NamespaceTeamChanged':
      return {
        ...namespace('namespace.change_team', event.data.id, event.data.new),
        parameters: { old: event.data.old, new: event.data.new },
      };
    case 'NamespaceDescriptionChanged':
    case 'NamespaceRenamed':
      return {
        ...namespace(
          event.type === 'NamespaceRenamed'
            ? 'namespace.change_namespace_name'
            : 'namespace.change_namespace_description',
          event.data.id,
          await names.namespaceTeam(event.data.id),
        ),
        parameters: { old: event.data.old, new: event.data.new },
      };
    case 'NamespaceDeleted': {
      // Portus files a namespace's deletion under its registry, with names so the entry outlives it.
      const { id, name, teamId, registryId } = event.data;
      return {
        key: 'registry.delete',
        trackable_type: 'Registry',
        trackable_id: registryId,
        recipient_type: 'Namespace',
        recipient_id: id,
        namespace_id: id,
        team_id: teamId,
        parameters: {
          namespace_name: name,
          team_name: (await names.team(teamId)).name,
          registry_id: registryId,
        },
      };
    }
    case 'RegistryCreated':
      return {
        key: 'registry.create',
        trackable_type: 'Registry',
        trackable_id: event.data.id,
        parameters: { name: event.data.name, hostname: event.data.hostname },
      };
    case 'RegistryUpdated':
      return {
        key: 'registry.update',
        trackable_type: 'Registry',
        trackable_id: event.data.id,
        parameters: { old: event.data.previous, new: event.data.changes },
      };
    case 'ImagePushed':
    case 'TagDiscovered':
    case 'TagDeleted':
    case 'TagVanished': {
      // Portus: repository.push when a tag is created or updated (sync ones by its own user), repository.delete
      // when a tag goes; owner = the registry's actor, recipient = the tag.
      const d = event.data;
      const by =
        event.type === 'ImagePushed'
          ? event.data.actor
          : event.type === 'TagDeleted'
            ? event.data.by
            : { userId: null, username: 'portcullis' };
      const pushed = event.type === 'ImagePushed' || event.type === 'TagDiscovered';
      return {
        key: pushed ? 'repository.push' : 'repository.delete',
        trackable_type: 'Repository',
        trackable_id: d.repositoryId,
        recipient_type: 'Tag',
        recipient_id: d.tagId,
        owner_id: by.userId,
        owner_name: by.username,
        namespace_id: d.namespaceId,
        team_id: d.namespaceId === null ? null : await names.namespaceTeam(d.namespaceId),
        parameters: {
          repository_name: d.fullName,
          namespace_id: d.namespaceId,
          namespace_name: await names.namespaceName(d.namespaceId),
          tag_name: d.tag,
          digest: d.digest,
        },
      };
    }
    case 'RepositoryDeleted': {
      // Portus files a repository's deletion under its namespace (`namespace.delete`), with names.
      const { id, fullName, namespaceId, by } = event.data;
      return {
        key: 'namespace.delete',
        trackable_type: namespaceId === null ? 'Repository' : 'Namespace',
        trackable_id: namespaceId ?? id,
        recipient_type: 'Repository',
        recipient_id: id,
        owner_id: by.userId,
        owner_name: by.username,
        namespace_id: namespaceId,
        team_id: namespaceId === null ? null : await names.namespaceTeam(namespaceId),
        parameters: {
          repository_name: fullName,
          namespace_id: namespaceId,
          namespace_name: await names.namespaceName(namespaceId),
        },
      };
    }
    case 'SessionStarted':
      return user('user.login', event.data.userId, { username: event.data.username, ip: event.data.ip });
    case 'SessionEnded':
      return user('user.logout', event.data.userId, {
        username: await names.user(event.data.userId),
        reason: event.data.reason,
      });
    case 'LoginFailed': {
      // Nobody is signed in on a failure: the owner is the user whose password was tried (never the password).
      const { userId, attempts, source, ip } = event.data;
      const username = await names.user(userId);
      return {
        ...user('user.login_failed', userId, { username, attempts, source, ip }),
        owner_id: userId,
        owner_name: username,
      };
    }
    case 'UserLocked':
    case 'UserUnlocked': {
      const username = await names.user(event.data.userId);
      const key = event.type === 'UserLocked' ? 'user.locked' : 'user.unlock';
      const extra = event.type === 'UserLocked' ? { failures: event.data.failures } : {};
      const own = event.type === 'UserLocked' ? { owner_id: event.data.userId, owner_name: username } : {};
      return { ...user(key, event.data.userId, { username, ...extra }), ...own };
    }
    case 'SessionTouched':
    case 'ApplicationTokenUsed':
    case 'RepositoryCreated':
    case 'RepositoryPulled':
    case 'RepositoryDescriptionChanged':
      // Not in canHandle: Portus logs no activity for these (pulls would flood the log).
      throw new Error(`activities do not handle ${event.type}`);
  }
}

const userKeys = {
  UserDisabled: 'user.disable',
  UserEnabled: 'user.enable',
  UserAdminGranted: 'user.grant_admin',
  UserAdminRevoked: 'user.revoke_admin',
} as const;

const memberKeys = {
  TeamMemberAdded: 'team.add_member',
  TeamMemberRemoved: 'team.remove_member',
  TeamMemberRoleChanged: 'team.change_member_role',
} as const;

function user(key: string, id: number, parameters: Record<string, unknown>): Fields {
  return { key, trackable_type: 'User', trackable_id: id, parameters };
}

function team(key: string, id: number, hidden: boolean): Fields {
  return { key, trackable_type: 'Team', trackable_id: id, team_id: id, hidden };
}

function namespace(key: string, id: number, teamId: number | null): Fields {
  return {
    key,
    trackable_type: 'Namespace',
    trackable_id: id,
    namespace_id: id,
    team_id: teamId,
  };
}

/** Names reads and keeps the names activities quote, as of the event being applied. */
class Names {
  constructor(private readonly col: Collection<NameDoc>) {}

  async user(id: number): Promise<string | null> {
    return (await this.col.get(`user:${id}`))?.name ?? null;
  }

  async team(id: number): Promise<{ name: string | null; hidden: boolean }> {
    const doc = await this.col.get(`team:${id}`);
    return { name: doc?.name ?? null, hidden: doc?.hidden ?? false };
  }

  async namespaceName(id: number | null): Promise<string | null> {
    return id === null ? null : ((await this.col.get(`namespace:${id}`))?.name ?? null);
  }

  async namespaceTeam(id: number): Promise<number | null> {
    return (await this.col.get(`namespace:${id}`))?.team_id ?? null;
  }

  /** remember records the names an event introduces or changes (set semantics, so replays are harmless). */
  async remember(event: ProjectedEvent): Promise<void> {
    switch (event.type) {
      case 'UserRegistered':
        return this.col.upsert({
          _id: `user:${event.data.id}`,
          name: event.data.username,
        });
      case 'UserUpdated': {
        const username = event.data.changes.username;
        if (username === undefined) return;
        return this.col.upsert({
          _id: `user:${event.data.id}`,
          name: username,
        });
      }
      case 'TeamCreated':
        return this.col.upsert({
          _id: `team:${event.data.id}`,
          name: event.data.name,
          hidden: event.data.hidden,
        });
      case 'TeamRenamed': {
        const t = await this.team(event.data.id);
        return this.col.upsert({
          _id: `team:${event.data.id}`,
          name: event.data.new,
          hidden: t.hidden,
        });
      }
      case 'NamespaceCreated':
        return this.col.upsert({
          _id: `namespace:${event.data.id}`,
          name: event.data.name,
          team_id: event.data.teamId,
        });
      case 'NamespaceTeamChanged':
      case 'NamespaceRenamed': {
        const doc = await this.col.get(`namespace:${event.data.id}`);
        if (!doc) return;
        return this.col.upsert(
          event.type === 'NamespaceRenamed' ? { ...doc, name: event.data.new } : { ...doc, team_id: event.data.new },
        );
      }
      default:
        return;
    }
  }
}

import type { ActorRef, Command, Decider } from '../shared/message';
import { assertNever } from '../shared/message';
import type { Settings } from '../settings/settings';
import type { TeamRole } from '../team/team.events';
import { utf8Length } from '../shared/text';
import type { ManifestFacts, RegistryActor, RepositoryEvent } from './repository.events';
import type { RepositoryState } from './repository';
import { evolveRepository, initialRepositoryState, seenRegistryEvent } from './repository';
import { RepositoryErrors } from './repository.errors';

/** NewRepository is what the handler resolved for a repository that may not exist yet. */
export interface NewRepository {
  /** id is used only when the repository does not exist (allocated by the handler from sequence-repository). */
  readonly id: number;
  readonly registryId: number;
  readonly fullName: string;
  readonly name: string;
  readonly namespaceId: number | null;
  readonly namespaceName: string | null;
}

/** RecordPush records a manifest push from a registry notification. */
export type RecordPush = Command<
  'RecordPush',
  {
    repository: NewRepository;
    /** newTagId is used only when the tag is new (allocated by the handler). */
    newTagId: number;
    tag: string;
    manifest: ManifestFacts;
    actor: RegistryActor;
    registryEventId: string | null;
  }
>;
/** DeleteManifest records that a manifest is gone: every tag pointing at the digest goes with it. */
export type DeleteManifest = Command<
  'DeleteManifest',
  { digest: string; by: RegistryActor; registryEventId: string | null }
>;
/** DeleteTag records a tag-only delete (the second event of a registry manifest delete, or a v3 tag delete). */
export type DeleteTag = Command<'DeleteTag', { tag: string; by: RegistryActor; registryEventId: string | null }>;
/** RecordPull records the last pull of a tag (coalesced by the handler). */
export type RecordPull = Command<'RecordPull', { tag: string; pulledAt: string }>;
/** ReconcileRepository applies a catalog difference as compensating events. */
export type ReconcileRepository = Command<
  'ReconcileRepository',
  {
    repository: NewRepository;
    /** newTagIds has an allocated id per discovered tag, used for tags that are new. */
    newTagIds: Readonly<Record<string, number>>;
    /** discovered tags, each with the digest the diff saw in Portcullis (null: absent) */
    discovered: ReadonlyArray<ManifestFacts & { tag: string; previousDigest: string | null }>;
    /** vanished tags with the digest the diff saw */
    vanished: ReadonlyArray<{ tag: string; digest: string }>;
  }
>;
/** ChangeRepositoryDescription is Portus's PUT /repositories/:id (admin or namespace owner). */
export type ChangeRepositoryDescription = Command<
  'ChangeRepositoryDescription',
  { description: string; actorRole: TeamRole | null; settings: Settings }
>;

export type RepositoryCommand =
  RecordPush | DeleteManifest | DeleteTag | RecordPull | ReconcileRepository | ChangeRepositoryDescription;

/** SYSTEM_ACTOR is who Portcullis's own compensations are by (Portus used its `portus` user). */
export const SYSTEM_ACTOR: RegistryActor = { userId: null, username: 'portcullis' };

const DESCRIPTION_MAX_BYTES = 64 * 1024;

function created(r: NewRepository, at: string): RepositoryEvent {
  return {
    type: 'RepositoryCreated',
    data: {
      id: r.id,
      registryId: r.registryId,
      fullName: r.fullName,
      name: r.name,
      namespaceId: r.namespaceId,
      namespaceName: r.namespaceName,
      at,
    },
  };
}

function recordPush(cmd: RecordPush, state: RepositoryState): RepositoryEvent[] {
  const { data, metadata } = cmd;
  const existing = state.exists ? state.tags[data.tag] : undefined;
  // The same registry event again (a retry whose answer was lost) changes nothing; a new push of the same
  // digest is recorded: who pushed what is the audit trail.
  if (seenRegistryEvent(state, data.registryEventId)) return [];
  if (existing && data.registryEventId !== null && existing.lastEventId === data.registryEventId) return [];
  const events: RepositoryEvent[] = state.exists ? [] : [created(data.repository, metadata.now)];
  const id = state.exists ? state.id : data.repository.id;
  events.push({
    type: 'ImagePushed',
    data: {
      repositoryId: id,
      fullName: data.repository.fullName,
      namespaceId: state.exists ? state.namespaceId : data.repository.namespaceId,
      tagId: existing?.id ?? data.newTagId,
      tag: data.tag,
      ...data.manifest,
      previousDigest: existing?.digest ?? null,
      actor: data.actor,
      registryEventId: data.registryEventId,
      at: metadata.now,
    },
  });
  return events;
}

function deleted(state: RepositoryState, by: RegistryActor, at: string): RepositoryEvent {
  const { id, registryId, fullName, namespaceId } = state;
  return { type: 'RepositoryDeleted', data: { id, registryId, fullName, namespaceId, by, at } };
}

function deleteTags(
  state: RepositoryState,
  tags: string[],
  by: RegistryActor,
  registryEventId: string | null,
  at: string,
): RepositoryEvent[] {
  if (!state.exists || tags.length === 0 || seenRegistryEvent(state, registryEventId)) return [];
  const events: RepositoryEvent[] = tags.map((tag) => ({
    type: 'TagDeleted',
    data: {
      repositoryId: state.id,
      fullName: state.fullName,
      namespaceId: state.namespaceId,
      tagId: state.tags[tag].id,
      tag,
      digest: state.tags[tag].digest,
      by,
      registryEventId,
      at,
    },
  }));
  // Portus removes a repository with its last tag.
  if (Object.keys(state.tags).length === tags.length) events.push(deleted(state, by, at));
  return events;
}

/** tagsWithDigest lists, sorted, the tags of a repository that point at a manifest digest. */
export const tagsWithDigest = (state: RepositoryState, digest: string): string[] =>
  Object.keys(state.tags)
    .filter((t) => state.tags[t].digest === digest)
    .sort();

function reconcile(cmd: ReconcileRepository, state: RepositoryState): RepositoryEvent[] {
  const { data, metadata } = cmd;
  const at = metadata.now;
  // Each change applies only if the tag is still as the diff saw it: a push that lands between the registry
  // listing and this append wins, and the next run looks again (Portus rolled its whole sync back instead).
  const current = (tag: string) => (state.exists ? (state.tags[tag]?.digest ?? null) : null);
  const discovered = data.discovered.filter(
    (d) => current(d.tag) === d.previousDigest && d.previousDigest !== d.digest,
  );
  const vanished = data.vanished.filter((v) => current(v.tag) === v.digest).map((v) => v.tag);
  if (!discovered.length && !vanished.length) return [];
  const events: RepositoryEvent[] = state.exists || !discovered.length ? [] : [created(data.repository, at)];
  const id = state.exists ? state.id : data.repository.id;
  const namespaceId = state.exists ? state.namespaceId : data.repository.namespaceId;
  const fullName = data.repository.fullName;
  for (const { tag, previousDigest, ...manifest } of discovered) {
    const tagId = state.tags[tag]?.id ?? data.newTagIds[tag];
    if (tagId === undefined) throw RepositoryErrors.tagNotFound();
    events.push({
      type: 'TagDiscovered',
      data: { repositoryId: id, fullName, namespaceId, tagId, tag, ...manifest, previousDigest, at },
    });
  }
  for (const tag of [...vanished].sort()) {
    const { id: tagId, digest } = state.tags[tag];
    events.push({ type: 'TagVanished', data: { repositoryId: id, fullName, namespaceId, tagId, tag, digest, at } });
  }
  const remaining = Object.keys(state.tags).filter((t) => !vanished.includes(t));
  if (state.exists && remaining.length === 0 && discovered.length === 0) events.push(deleted(state, SYSTEM_ACTOR, at));
  return events;
}

function requireManager(actor: ActorRef | null, actorRole: TeamRole | null): void {
  if (actor === null || !(actor.admin || actorRole === 'owner')) throw RepositoryErrors.forbidden();
}

function changeDescription(cmd: ChangeRepositoryDescription, state: RepositoryState): RepositoryEvent[] {
  const { data, metadata } = cmd;
  if (!state.exists) throw RepositoryErrors.notFound();
  requireManager(metadata.actor, data.actorRole);
  if (utf8Length(data.description) > DESCRIPTION_MAX_BYTES) throw RepositoryErrors.descriptionTooLong();
  if (data.description === state.description) return [];
  const event = { id: state.id, old: state.description, new: data.description, at: metadata.now };
  return [{ type: 'RepositoryDescriptionChanged', data: event }];
}

function recordPull(cmd: RecordPull, state: RepositoryState): RepositoryEvent[] {
  const tag = state.exists ? state.tags[cmd.data.tag] : undefined;
  if (!tag || (tag.pulledAt !== null && tag.pulledAt >= cmd.data.pulledAt)) return [];
  const data = { repositoryId: state.id, tagId: tag.id, tag: cmd.data.tag, digest: tag.digest, at: cmd.data.pulledAt };
  return [{ type: 'RepositoryPulled', data }];
}

/** decideRepository routes a repository command to its rule function. */
export function decideRepository(command: RepositoryCommand, state: RepositoryState): RepositoryEvent[] {
  const at = command.metadata.now;
  switch (command.type) {
    case 'RecordPush':
      return recordPush(command, state);
    case 'DeleteManifest': {
      const { digest, by, registryEventId } = command.data;
      return deleteTags(state, tagsWithDigest(state, digest), by, registryEventId, at);
    }
    case 'DeleteTag': {
      const { tag, by, registryEventId } = command.data;
      return deleteTags(state, state.tags[tag] ? [tag] : [], by, registryEventId, at);
    }
    case 'RecordPull':
      return recordPull(command, state);
    case 'ReconcileRepository':
      return reconcile(command, state);
    case 'ChangeRepositoryDescription':
      return changeDescription(command, state);
    default:
      return assertNever(command);
  }
}

/** repositoryDecider is the repository aggregate as one emmett-shaped object. */
export const repositoryDecider: Decider<RepositoryState, RepositoryCommand, RepositoryEvent> = {
  decide: decideRepository,
  evolve: evolveRepository,
  initialState: initialRepositoryState,
};

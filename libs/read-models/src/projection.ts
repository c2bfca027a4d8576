import type {
  LockoutEvent,
  NamespaceEvent,
  RegistryEvent,
  RepositoryEvent,
  SessionEvent,
  TeamEvent,
  TokenUsageEvent,
  UserEvent,
} from '@portcullis/domain';
import type { Collection, Doc, IndexSpec, ReadStore, RecordedEvent } from '@portcullis/persistence';

/**
 * Projection is data: which events it reads, which collections it owns, and how one event changes them.
 * apply must be idempotent by construction (set semantics, never increments), because on MongoDB a crash
 * between the writes and the checkpoint replays the event.
 */
export interface Projection {
  readonly name: string;
  readonly collections: readonly string[];
  readonly indexes?: Readonly<Record<string, readonly IndexSpec[]>>;
  readonly canHandle: readonly string[];
  apply(event: RecordedEvent, store: ReadStore): Promise<void>;
}

/** ProjectedEvent is every event type a read model in this library reads. */
export type ProjectedEvent =
  | UserEvent
  | TeamEvent
  | NamespaceEvent
  | RegistryEvent
  | RepositoryEvent
  | SessionEvent
  | LockoutEvent
  | TokenUsageEvent;

/** ProjectedEventType is the `type` of a ProjectedEvent. */
export type ProjectedEventType = ProjectedEvent['type'];

/** asProjectedEvent views a recorded event as the domain union, so a switch on `type` narrows `data`. */
export function asProjectedEvent(event: RecordedEvent): ProjectedEvent {
  // The store gives untyped JSON; the event contracts in libs/domain are the fixed schema it was written with.
  return { type: event.type, data: event.data } as unknown as ProjectedEvent;
}

/** Actor is who caused an event, as the api writes it to `metadata.actor`. */
export interface Actor {
  readonly id: number;
  readonly username: string;
}

/** actorOf reads `metadata.actor`, or null for system/anonymous events and malformed metadata. */
export function actorOf(event: RecordedEvent): Actor | null {
  const actor = event.metadata['actor'];
  if (typeof actor !== 'object' || actor === null) return null;
  const { id, username } = actor as Record<string, unknown>;
  return typeof id === 'number' && typeof username === 'string' ? { id, username } : null;
}

/**
 * DocumentProjectionSpec is emmett's projection shape for read models where one event touches at most
 * one document: `documentId` picks it and `evolve(doc | null, event) → doc | null` computes its next state
 * (null deletes it).
 */
export interface DocumentProjectionSpec<D extends Doc> {
  readonly name: string;
  readonly collection: string;
  readonly indexes?: readonly IndexSpec[];
  readonly canHandle: readonly ProjectedEventType[];
  documentId(event: ProjectedEvent): string | null;
  evolve(doc: D | null, event: ProjectedEvent, recorded: RecordedEvent): D | null;
}

/** documentProjection turns a DocumentProjectionSpec into a Projection. */
export function documentProjection<D extends Doc>(spec: DocumentProjectionSpec<D>): Projection {
  return {
    name: spec.name,
    collections: [spec.collection],
    indexes: spec.indexes ? { [spec.collection]: spec.indexes } : undefined,
    canHandle: spec.canHandle,
    async apply(recorded, store) {
      const event = asProjectedEvent(recorded);
      const id = spec.documentId(event);
      if (id === null) return;
      await evolveDocument(store.collection<D>(spec.collection), id, (doc) => spec.evolve(doc, event, recorded));
    },
  };
}

/** evolveDocument reads one document, computes its next state and writes it back (null deletes). */
export async function evolveDocument<D extends Doc>(
  collection: Collection<D>,
  id: string,
  evolve: (doc: D | null) => D | null,
): Promise<void> {
  const doc = await collection.get(id);
  const next = evolve(doc);
  // Returning the same object means "nothing to change": skip the write.
  if (next === doc) return;
  if (next === null) await collection.delete(id);
  else await collection.upsert(next);
}

/** index is a shorthand for a one-field ascending, non-unique IndexSpec. */
export function index(collection: string, ...fields: string[]): IndexSpec {
  // NOTE: no unique indexes: replaying a suffix of events over newer state (MongoDB crash recovery) can
  // pass through states where two documents briefly share a value; uniqueness is the domain's job.
  return {
    name: `${collection}_${fields.join('_')}`,
    fields: fields.map((f) => [f, 1] as const),
  };
}

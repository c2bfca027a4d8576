import { Inject, Injectable } from '@nestjs/common';
import {
  ANY,
  EVENT_STORE,
  NO_STREAM,
  WrongExpectedRevisionError,
  type EventStore,
  type ExpectedRevision,
} from '@portcullis/persistence';
import {
  DomainError,
  conflict,
  reservationDecider,
  reservationStreamId,
  type ActorRef,
  type Command,
  type CommandMetadata,
  type Decider,
  type DomainEvent,
  type ReservationKind,
} from '@portcullis/domain';
import { Clock } from './clock';
import { IdSource } from './ids';

/** Loaded is an aggregate's state and the revision it was read at. */
export interface Loaded<S> {
  state: S;
  revision: ExpectedRevision;
}

/** Outcome of a command: the events appended and the global position of the last one (null: no-op). */
export interface Outcome<E extends DomainEvent = DomainEvent> {
  events: E[];
  position: bigint | null;
}

/** Done is what every command returns: the id it touched and the position to wait for. */
export interface Done {
  id: number;
  position: bigint | null;
}

/** ConcurrencyError reaches clients as 409: someone changed the same thing at the same time. */
export class ConcurrencyError extends DomainError {
  constructor(streamId: string) {
    super(
      'CONCURRENCY',
      'conflict',
      `${streamId.split('-')[0]} was changed by another request at the same time; reload and retry`,
    );
  }
}

/**
 * BLOCK_KINDS are the ids taken a block at a time: those a registry push needs (a new repository, a new tag),
 * where gaps after a restart cost nothing. Users, teams, namespaces and tokens stay gapless.
 */
const BLOCK_KINDS: ReadonlySet<string> = new Set(['repository', 'tag']);

/** ID_BLOCK is how many ids of a BLOCK_KINDS kind one append takes. */
const ID_BLOCK = 16;

/**
 * EventSourcing is the write door: the load → decide → append loop of every command handler (style.md point 6),
 * plus the two helpers that replace database sequences and unique indexes: id allocation and reservation
 * streams (architecture rule 3). Only command handlers (`*.commands.ts`) and the webhook dispatcher use it
 * (docs/architecture.md, "One write door"; the `api/write-door` lint rule).
 */
@Injectable()
export class EventSourcing {
  /** blocks: per kind, the ids taken and not handed out yet (`next` through `last`). */
  private readonly blocks = new Map<string, { next: number; last: number }>();
  private readonly refills = new Map<string, Promise<void>>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(IdSource) private readonly ids: IdSource,
  ) {}

  /**
   * metadataFor stamps a command: the injected clock's time, the actor and a correlation id that every append
   * of the command, and of the steps it hands on with the same metadata, shares (architecture rule 2: the
   * deciders get time and ids from here, never from the system).
   */
  metadataFor(actor: ActorRef | null): CommandMetadata {
    return { now: this.clock.iso(), actor, correlationId: this.ids.uuid() };
  }

  /** load folds a stream into state. */
  async load<S, C extends Command, E extends DomainEvent>(
    decider: Decider<S, C, E>,
    streamId: string,
  ): Promise<Loaded<S>> {
    const events = await this.store.readStream(streamId);
    const state = events.reduce(
      (s, e) => decider.evolve(s, { type: e.type, data: e.data } as unknown as E),
      decider.initialState(),
    );
    return { state, revision: events.length ? events[events.length - 1].revision : NO_STREAM };
  }

  /**
   * handle runs one command against one stream. A concurrent change to the same stream is a 409,
   * never a lost update; `retryOnConflict` re-decides once for commands that are safe to re-run.
   */
  async handle<S, C extends Command, E extends DomainEvent>(
    decider: Decider<S, C, E>,
    streamId: string,
    command: C,
    options: { retryOnConflict?: boolean; loaded?: Loaded<S> } = {},
  ): Promise<Outcome<E> & { state: S }> {
    const loaded = options.loaded ?? (await this.load(decider, streamId));
    const events = decider.decide(command, loaded.state);
    const state = events.reduce((s, e) => decider.evolve(s, e), loaded.state);
    if (!events.length) return { events, position: null, state };
    try {
      const position = await this.append(streamId, events, loaded.revision, command.metadata);
      return { events, position, state };
    } catch (e) {
      if (e instanceof WrongExpectedRevisionError) {
        if (options.retryOnConflict) return this.handle(decider, streamId, command, { retryOnConflict: false });
        throw new ConcurrencyError(streamId);
      }
      throw e;
    }
  }

  /** append writes domain events with the actor and a correlation id in their metadata. */
  async append(
    streamId: string,
    events: readonly DomainEvent[],
    expectedRevision: ExpectedRevision,
    metadata: CommandMetadata,
  ): Promise<bigint> {
    const correlationId = metadata.correlationId ?? this.ids.uuid();
    const actor = metadata.actor ? { id: metadata.actor.id, username: metadata.actor.username } : null;
    const result = await this.store.append(
      streamId,
      events.map((e) => ({
        type: e.type,
        data: e.data as Record<string, unknown>,
        metadata: { actor, correlationId },
      })),
      { expectedRevision },
    );
    return result.position;
  }

  /**
   * create starts a new aggregate: it decides once with a placeholder id, so invalid input is refused
   * before anything is written (not even an id), then allocates the id, claims the unique names
   * (releasing them again if a later step fails) and appends expecting no stream.
   */
  async create<S, C extends Command, E extends DomainEvent>(
    decider: Decider<S, C, E>,
    kind: string,
    streamId: (id: number) => string,
    build: (id: number) => C,
    names: ReadonlyArray<readonly [ReservationKind, string]> = [],
  ): Promise<{ id: number; position: bigint; events: E[] }> {
    decider.decide(build(0), decider.initialState());
    const id = await this.allocateId(kind);
    const command = build(id);
    const events = decider.decide(command, decider.initialState());
    const claimed: Array<readonly [ReservationKind, string]> = [];
    try {
      for (const [k, v] of names) {
        await this.reserve(k, v, id, command.metadata);
        claimed.push([k, v]);
      }
      const position = await this.append(streamId(id), events, NO_STREAM, command.metadata);
      return { id, position, events };
    } catch (e) {
      for (const [k, v] of claimed) await this.release(k, v, id, command.metadata);
      throw e;
    }
  }

  /**
   * allocateId hands out 1, 2, 3… per kind. Appending with ANY to `sequence-<kind>` is atomic in both
   * adapters and returns the revision it got, so two api replicas can never hand out the same id. The kinds
   * every registry push may need (BLOCK_KINDS: repository, tag) are taken ID_BLOCK at a time (one append of
   * ID_BLOCK events) and handed out from memory, so a push costs no append of its own for its ids; the ids
   * of a block left unused when the process stops are skipped (ADR 0015).
   */
  async allocateId(kind: string): Promise<number> {
    if (!BLOCK_KINDS.has(kind)) return (await this.reserveIds(kind, 1)).first;
    for (;;) {
      const block = this.blocks.get(kind);
      if (block && block.next <= block.last) return block.next++;
      // One refill per kind at a time: concurrent callers wait for it rather than each taking a block.
      let refill = this.refills.get(kind);
      if (!refill) {
        refill = this.reserveIds(kind, ID_BLOCK)
          .then(({ first, last }) => void this.blocks.set(kind, { next: first, last }))
          .finally(() => this.refills.delete(kind));
        this.refills.set(kind, refill);
      }
      await refill;
    }
  }

  /** reserveIds appends `count` IdAllocated events to `sequence-<kind>`: the ids are their revisions + 1. */
  private async reserveIds(kind: string, count: number): Promise<{ first: number; last: number }> {
    const result = await this.store.append(
      `sequence-${kind}`,
      Array.from({ length: count }, () => ({ type: 'IdAllocated', data: {} })),
      { expectedRevision: ANY },
    );
    const last = Number(result.nextExpectedRevision) + 1;
    return { first: last - count + 1, last };
  }

  /** reserve claims a unique name for `ownerId`, or throws `<KIND>.NAME_TAKEN` (409). */
  async reserve(kind: ReservationKind, value: string, ownerId: number, metadata: CommandMetadata): Promise<void> {
    const streamId = reservationStreamId(kind, value);
    await this.handle(reservationDecider, streamId, {
      type: 'Reserve',
      data: { kind, value, ownerId },
      metadata,
    }).catch((e) => {
      if (e instanceof ConcurrencyError)
        throw conflict(`${kind.toUpperCase()}.NAME_TAKEN`, `${kind} '${value}' has already been taken`);
      throw e;
    });
  }

  /** release frees a name (after a rename or delete, or when the command that reserved it failed). */
  async release(kind: ReservationKind, value: string, ownerId: number, metadata: CommandMetadata): Promise<void> {
    await this.handle(
      reservationDecider,
      reservationStreamId(kind, value),
      { type: 'Release', data: { kind, value, ownerId }, metadata },
      { retryOnConflict: true },
    );
  }
}

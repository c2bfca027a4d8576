import type { Doc, RecordedEvent } from '@portcullis/persistence';
import type { Actor, ProjectedEvent, Projection } from '../projection';
import { InMemoryReadStoreForTests } from './in-memory-read-store.for-tests';

/** EventLogForTests records typed domain events as the store would, with increasing positions. */
export class EventLogForTests {
  readonly events: RecordedEvent[] = [];
  /** actor is the default `metadata.actor` of recorded events. */
  actor: Actor | null = { id: 1, username: 'admin' };

  record<T extends ProjectedEvent['type']>(
    type: T,
    data: Extract<ProjectedEvent, { type: T }>['data'],
    options: { actor?: Actor | null; streamId?: string } = {},
  ): RecordedEvent {
    const position = BigInt(this.events.length);
    const event: RecordedEvent = {
      id: `event-${position}`,
      streamId: options.streamId ?? 'stream',
      type,
      revision: 0n,
      position,
      data: data as unknown as Record<string, unknown>,
      metadata: {
        actor: options.actor === undefined ? this.actor : options.actor,
        correlationId: `c-${position}`,
      },
      created: '2030-01-01T00:00:00.000Z',
    };
    this.events.push(event);
    return event;
  }
}

/**
 * projectionSpecification is given/when/then for projections: given events, when more are applied,
 * then the projection's collections hold exactly these documents. Every `then` also replays all the
 * events once more over the result (a crash before the checkpoint) and expects the same documents.
 */
export function projectionSpecification(projection: Projection) {
  return (...given: RecordedEvent[]) => ({
    when: (...when: RecordedEvent[]) => ({
      async then(expected: Record<string, Doc[]>): Promise<InMemoryReadStoreForTests> {
        const store = new InMemoryReadStoreForTests();
        const apply = async (events: RecordedEvent[]) => {
          for (const e of events) {
            if (projection.canHandle.includes(e.type)) await projection.apply(e, store);
          }
        };
        const sorted = (docs: Record<string, Doc[]>) =>
          Object.fromEntries(
            Object.entries(docs).map(([k, v]) => [
              k,
              [...v].sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0)),
            ]),
          );
        const collections = Object.keys(expected);
        await apply([...given, ...when]);
        expect(store.dump(collections)).toEqual(sorted(expected));
        await apply(when);
        expect(store.dump(collections)).toEqual(sorted(expected));
        await apply([...given, ...when]);
        expect(store.dump(collections)).toEqual(sorted(expected));
        return store;
      },
    }),
  });
}

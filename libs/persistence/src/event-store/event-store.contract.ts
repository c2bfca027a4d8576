import { randomUUID } from 'node:crypto';
// NOTE: explicit jest imports because this file is not a *.spec.ts and so is type-checked with the lib sources.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ANY, NO_STREAM, STREAM_EXISTS, WrongExpectedRevisionError } from './event-store.port';
import type { EventStore, NewEvent, RecordedEvent, Subscription } from './event-store.port';

/**
 * describeEventStoreContract registers the behaviour every EventStore adapter must have.
 * The store may be shared with other writers (a real EventStoreDB server), so each case uses fresh
 * stream ids and only looks at its own streams in $all.
 */
export function describeEventStoreContract(name: string, factory: () => Promise<EventStore>): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    const subscriptions: Subscription[] = [];

    beforeEach(async () => {
      store = await factory();
    });

    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
      await store.close();
    });

    const subscribe = (after: bigint | undefined, streams: readonly string[]) => {
      const received: RecordedEvent[] = [];
      const subscription = store.subscribeToAll(
        { after },
        {
          onEvent: async (event) => {
            if (streams.includes(event.streamId)) received.push(event);
          },
        },
      );
      subscriptions.push(subscription);
      return { received, subscription };
    };

    describe('append', () => {
      it('appends to a new stream with no_stream, revisions starting at 0', async () => {
        const stream = newStreamId();
        const head = await store.headPosition();

        const result = await store.append(stream, [event('A'), event('B')], {
          expectedRevision: NO_STREAM,
        });

        expect(result.nextExpectedRevision).toBe(1n);
        const read = await store.readStream(stream);
        expect(read.map((e) => [e.type, e.revision])).toEqual([
          ['A', 0n],
          ['B', 1n],
        ]);
        // The result's position is that of the last event appended (what read-your-writes waits for).
        const all = (await store.readAll({ after: head })).filter((e) => e.streamId === stream);
        expect(result.position).toBe(all[1].position);
      });

      it('continues a stream at its last revision', async () => {
        const stream = newStreamId();
        const first = await store.append(stream, [event('A')], {
          expectedRevision: NO_STREAM,
        });

        const second = await store.append(stream, [event('B')], {
          expectedRevision: first.nextExpectedRevision,
        });

        expect(second.nextExpectedRevision).toBe(1n);
        expect(second.position).toBeGreaterThan(first.position);
      });

      it('rejects a wrong expected revision with the actual one and writes nothing', async () => {
        const stream = newStreamId();
        await store.append(stream, [event('A'), event('B')], {
          expectedRevision: NO_STREAM,
        });

        const error = await captureError(store.append(stream, [event('C')], { expectedRevision: 0n }));

        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({
          streamId: stream,
          expected: 0n,
          actual: 1n,
        });
        expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B']);
      });

      it('rejects no_stream when the stream exists', async () => {
        const stream = newStreamId();
        await store.append(stream, [event('A')], {
          expectedRevision: NO_STREAM,
        });

        const error = await captureError(store.append(stream, [event('B')], { expectedRevision: NO_STREAM }));

        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ expected: NO_STREAM, actual: 0n });
      });

      it('rejects a numeric revision when the stream does not exist', async () => {
        const stream = newStreamId();

        const error = await captureError(store.append(stream, [event('A')], { expectedRevision: 0n }));

        expect(error).toMatchObject({
          name: 'WrongExpectedRevisionError',
          actual: NO_STREAM,
        });
        expect(await store.readStream(stream)).toEqual([]);
      });

      it('rejects stream_exists on a missing stream and accepts it on an existing one', async () => {
        const stream = newStreamId();

        const error = await captureError(
          store.append(stream, [event('A')], {
            expectedRevision: STREAM_EXISTS,
          }),
        );
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({
          expected: STREAM_EXISTS,
          actual: NO_STREAM,
        });
        expect(await store.readStream(stream)).toEqual([]);

        await store.append(stream, [event('A')], {
          expectedRevision: NO_STREAM,
        });
        const result = await store.append(stream, [event('B')], {
          expectedRevision: STREAM_EXISTS,
        });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('always accepts any, on a missing and on an existing stream', async () => {
        const stream = newStreamId();

        await store.append(stream, [event('A')], { expectedRevision: ANY });
        const result = await store.append(stream, [event('B')], {
          expectedRevision: ANY,
        });

        expect(result.nextExpectedRevision).toBe(1n);
        expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B']);
      });

      it('appends a batch atomically with consecutive revisions', async () => {
        const stream = newStreamId();
        const head = await store.headPosition();
        await store.append(stream, [event('A')], {
          expectedRevision: NO_STREAM,
        });

        await store.append(stream, [event('B'), event('C'), event('D')], {
          expectedRevision: 0n,
        });

        const read = await store.readStream(stream);
        expect(read.map((e) => [e.type, e.revision])).toEqual([
          ['A', 0n],
          ['B', 1n],
          ['C', 2n],
          ['D', 3n],
        ]);
        const all = (await store.readAll({ after: head })).filter((e) => e.streamId === stream);
        expect(all.map((e) => e.type)).toEqual(['A', 'B', 'C', 'D']);
        expect(strictlyIncreasing(all.map((e) => e.position))).toBe(true);
      });

      it('writes none of a batch when one event cannot be stored', async () => {
        const stream = newStreamId();
        // A bigint has no JSON form, so the last event fails after the first two were accepted.
        const poisoned: NewEvent = { type: 'C', data: { amount: 1n } };

        await expect(
          store.append(stream, [event('A'), event('B'), poisoned], {
            expectedRevision: NO_STREAM,
          }),
        ).rejects.toThrow();

        expect(await store.readStream(stream)).toEqual([]);
      });

      it('lets exactly one of two concurrent appends at the same revision succeed', async () => {
        const stream = newStreamId();
        await store.append(stream, [event('A')], {
          expectedRevision: NO_STREAM,
        });

        const outcomes = await Promise.allSettled([
          store.append(stream, [event('B1'), event('B2')], {
            expectedRevision: 0n,
          }),
          store.append(stream, [event('C1'), event('C2')], {
            expectedRevision: 0n,
          }),
        ]);

        const fulfilled = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
        expect(fulfilled).toHaveLength(1);
        expect(rejected).toHaveLength(1);
        expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
        const types = (await store.readStream(stream)).map((e) => e.type);
        expect([
          ['A', 'B1', 'B2'],
          ['A', 'C1', 'C2'],
        ]).toContainEqual(types);
      });

      it('lets concurrent appends with any all succeed with distinct revisions', async () => {
        const stream = newStreamId();

        await Promise.all(
          ['A', 'B', 'C', 'D'].map((type) => store.append(stream, [event(type)], { expectedRevision: ANY })),
        );

        const read = await store.readStream(stream);
        expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n]);
        expect(new Set(read.map((e) => e.type))).toEqual(new Set(['A', 'B', 'C', 'D']));
      });
    });

    describe('event content', () => {
      it('keeps the given id and metadata, and stamps an ISO created time', async () => {
        const stream = newStreamId();
        const id = randomUUID();
        const metadata = {
          actor: 'alice',
          correlationId: randomUUID(),
          causationId: null,
        };

        await store.append(stream, [{ id, type: 'TeamCreated', data: { name: 'x' }, metadata }], {
          expectedRevision: NO_STREAM,
        });

        const [read] = await store.readStream(stream);
        expect(read).toMatchObject({
          id,
          streamId: stream,
          type: 'TeamCreated',
          metadata,
        });
        expect(new Date(read.created).toISOString()).toBe(read.created);
        expect(typeof read.position).toBe('bigint');
      });

      it('generates a UUID when the id is absent and an empty metadata object', async () => {
        const stream = newStreamId();

        await store.append(stream, [{ type: 'A', data: {} }], {
          expectedRevision: NO_STREAM,
        });

        const [read] = await store.readStream(stream);
        expect(read.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(read.metadata).toEqual({});
      });

      it('round-trips unicode and nested JSON in data and metadata', async () => {
        const stream = newStreamId();
        const data = {
          name: 'Zoë 🐳 تیم 团队 e\u0301',
          quote: 'she said "hi"\n\t\\ </script>',
          nul: 'a\u0000b',
          nested: {
            list: [1, 2.5, -3e-7, true, false, null, 'x'],
            empty: {},
            none: [],
          },
          big: Number.MAX_SAFE_INTEGER,
        };
        const metadata = {
          ключ: 'значение',
          emoji: '👩‍💻',
          depth: { a: { b: { c: [{}] } } },
        };
        const head = await store.headPosition();

        await store.append(stream, [{ type: 'Unicode', data, metadata }], {
          expectedRevision: NO_STREAM,
        });

        const [fromStream] = await store.readStream(stream);
        expect(fromStream.data).toEqual(data);
        expect(fromStream.metadata).toEqual(metadata);
        const [fromAll] = (await store.readAll({ after: head })).filter((e) => e.streamId === stream);
        expect(fromAll.data).toEqual(data);
        expect(fromAll.metadata).toEqual(metadata);
      });
    });

    describe('readStream', () => {
      it('returns [] for a stream that does not exist', async () => {
        expect(await store.readStream(newStreamId())).toEqual([]);
      });

      it('reads from a revision, inclusive, and at most maxCount events', async () => {
        const stream = newStreamId();
        await store.append(stream, ['A', 'B', 'C', 'D', 'E'].map(event), {
          expectedRevision: NO_STREAM,
        });

        const types = async (options: { fromRevision?: bigint; maxCount?: number }) =>
          (await store.readStream(stream, options)).map((e) => e.type);

        expect(await types({ fromRevision: 2n })).toEqual(['C', 'D', 'E']);
        expect(await types({ maxCount: 2 })).toEqual(['A', 'B']);
        expect(await types({ fromRevision: 1n, maxCount: 3 })).toEqual(['B', 'C', 'D']);
        expect(await types({ fromRevision: 5n })).toEqual([]);
      });
    });

    describe('readAll and positions', () => {
      it('reads all streams in append order, strictly after the given position', async () => {
        const [a, b] = [newStreamId(), newStreamId()];
        const head = await store.headPosition();
        await store.append(a, [event('A0')], { expectedRevision: NO_STREAM });
        await store.append(b, [event('B0'), event('B1')], {
          expectedRevision: NO_STREAM,
        });
        await store.append(a, [event('A1')], { expectedRevision: 0n });

        const ours = (events: RecordedEvent[]) => events.filter((e) => e.streamId === a || e.streamId === b);
        const all = ours(await store.readAll({ after: head }));

        expect(all.map((e) => e.type)).toEqual(['A0', 'B0', 'B1', 'A1']);
        expect(strictlyIncreasing(all.map((e) => e.position))).toBe(true);
        expect(all[0].position).toBeGreaterThan(head);

        const afterFirst = ours(await store.readAll({ after: all[0].position }));
        expect(afterFirst.map((e) => e.type)).toEqual(['B0', 'B1', 'A1']);

        const limited = await store.readAll({
          after: all[0].position,
          maxCount: 2,
        });
        expect(limited.map((e) => e.type)).toEqual(['B0', 'B1']);

        const fromStart = ours(await store.readAll());
        expect(fromStart.map((e) => e.type)).toEqual(['A0', 'B0', 'B1', 'A1']);
      });

      it('gives positions that increase across streams and match readAll and headPosition', async () => {
        const head = await store.headPosition();
        const positions: bigint[] = [];
        for (let i = 0; i < 5; i++) {
          const result = await store.append(newStreamId(), [event(`E${i}`)], {
            expectedRevision: NO_STREAM,
          });
          positions.push(result.position);
        }

        expect(strictlyIncreasing(positions)).toBe(true);
        const read = await store.readAll({ after: head, maxCount: 5 });
        expect(read.map((e) => e.position)).toEqual(positions);
        expect(await store.headPosition()).toBe(positions[4]);
      });

      it('returns [] when nothing follows the given position', async () => {
        await store.append(newStreamId(), [event('A')], {
          expectedRevision: NO_STREAM,
        });

        expect(await store.readAll({ after: await store.headPosition() })).toEqual([]);
      });
    });

    describe('subscribeToAll', () => {
      it('delivers existing events, then new ones, in order, without gaps or duplicates', async () => {
        const [a, b] = [newStreamId(), newStreamId()];
        const head = await store.headPosition();
        await store.append(a, [event('A0'), event('A1')], {
          expectedRevision: NO_STREAM,
        });

        const { received } = subscribe(head, [a, b]);
        await waitFor(() => received.length === 2);

        await store.append(b, [event('B0')], { expectedRevision: NO_STREAM });
        await store.append(a, [event('A2'), event('A3')], {
          expectedRevision: 1n,
        });
        await waitFor(() => received.length === 5);
        await sleep(100);

        expect(received.map((e) => e.type)).toEqual(['A0', 'A1', 'B0', 'A2', 'A3']);
        expect(strictlyIncreasing(received.map((e) => e.position))).toBe(true);
        expect(received).toEqual((await store.readAll({ after: head })).filter((e) => [a, b].includes(e.streamId)));
      });

      it('starts strictly after the given position', async () => {
        const stream = newStreamId();
        const head = await store.headPosition();
        await store.append(stream, ['A', 'B', 'C'].map(event), {
          expectedRevision: NO_STREAM,
        });
        const [first] = await store.readAll({ after: head, maxCount: 1 });

        const { received } = subscribe(first.position, [stream]);
        await waitFor(() => received.length === 2);
        await sleep(100);

        expect(received.map((e) => e.type)).toEqual(['B', 'C']);
      });

      it('awaits the handler for each event before delivering the next', async () => {
        const stream = newStreamId();
        const head = await store.headPosition();
        await store.append(stream, ['A', 'B', 'C'].map(event), {
          expectedRevision: NO_STREAM,
        });
        const log: string[] = [];

        subscriptions.push(
          store.subscribeToAll(
            { after: head },
            {
              onEvent: async (e) => {
                if (e.streamId !== stream) return;
                log.push(`start ${e.type}`);
                await sleep(20);
                log.push(`end ${e.type}`);
              },
            },
          ),
        );
        await waitFor(() => log.length === 6);

        expect(log).toEqual(['start A', 'end A', 'start B', 'end B', 'start C', 'end C']);
      });

      it('stops delivering after stop(), which waits for the in-flight handler', async () => {
        const stream = newStreamId();
        const head = await store.headPosition();
        await store.append(stream, [event('A')], {
          expectedRevision: NO_STREAM,
        });
        const received: string[] = [];
        let inFlight = false;

        const subscription = store.subscribeToAll(
          { after: head },
          {
            onEvent: async (e) => {
              if (e.streamId !== stream) return;
              inFlight = true;
              await sleep(100);
              received.push(e.type);
              inFlight = false;
            },
          },
        );
        await waitFor(() => inFlight);
        await subscription.stop();

        expect(inFlight).toBe(false);
        expect(received).toEqual(['A']);
        await store.append(stream, [event('B')], { expectedRevision: 0n });
        await sleep(200);
        expect(received).toEqual(['A']);
      });

      it('reports a handler failure once through onError and stops', async () => {
        const stream = newStreamId();
        const head = await store.headPosition();
        await store.append(stream, [event('A'), event('B')], {
          expectedRevision: NO_STREAM,
        });
        const failure = new Error('projection broke');
        const errors: unknown[] = [];
        const seen: string[] = [];

        subscriptions.push(
          store.subscribeToAll(
            { after: head },
            {
              onEvent: async (e) => {
                if (e.streamId !== stream) return;
                seen.push(e.type);
                throw failure;
              },
              onError: (error) => errors.push(error),
            },
          ),
        );
        await waitFor(() => errors.length > 0);
        await store.append(stream, [event('C')], { expectedRevision: 1n });
        await sleep(200);

        expect(errors).toEqual([failure]);
        expect(seen).toEqual(['A']);
      });
    });

    it('answers ping while it is reachable', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}

function newStreamId(): string {
  return `contract-${randomUUID()}`;
}

function event(type: string): NewEvent {
  return { type, data: { type }, metadata: { test: 'contract' } };
}

function strictlyIncreasing(values: readonly bigint[]): boolean {
  return values.every((value, i) => i === 0 || value > values[i - 1]);
}

async function captureError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}

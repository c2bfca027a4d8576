import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_STREAM } from '../event-store/event-store.port';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
import { SqliteReadStore } from '../read-store/sqlite-read-store';
import { EventStoreFeed } from './event-store-feed';
import { InProcessBus } from './in-process-bus';

// The feed's checkpoint is the position a restarted feed publishes from: it must reach every settled event,
// but a push is several events settled one by one, and each write lands in the read store the projector writes.
describe('EventStoreFeed checkpoint (in-process bus, real SQLite stores)', () => {
  let dir: string;
  let events: SqliteEventStore;
  let reads: SqliteReadStore;
  let writes: bigint[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-feed-'));
    events = new SqliteEventStore(join(dir, 'events.db'));
    reads = new SqliteReadStore(join(dir, 'read.db'));
    writes = [];
    const set = reads.setCheckpoint.bind(reads);
    reads.setCheckpoint = (name, position) => {
      writes.push(position);
      return set(name, position);
    };
  });
  afterEach(async () => {
    await events.close();
    await reads.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (bus: InProcessBus, delay: number) => {
    const feed = new EventStoreFeed(events, reads, bus, 'feed', { settleGroup: 'g', checkpointDelayMs: delay });
    await feed.start();
    return feed;
  };
  const until = async (done: () => boolean) => {
    for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  };

  it('writes a burst of settled events as one checkpoint, at the last of them', async () => {
    const bus = new InProcessBus();
    const seen: bigint[] = [];
    const consumer = await bus.consume('g', async (d) => void seen.push(d.event.position));
    const feed = await start(bus, 100);
    const appended = await events.append(
      's',
      Array.from({ length: 5 }, () => ({ type: 'E', data: {} })),
      {
        expectedRevision: NO_STREAM,
      },
    );
    await until(() => seen.length === 5);
    expect(writes).toEqual([]);
    await until(() => writes.length > 0);
    expect(writes).toEqual([appended.position]);
    expect(await reads.getCheckpoint('feed')).toBe(appended.position);
    await feed.stop();
    await consumer.stop();
  });

  it('writes what is settled but not yet written when it stops, and a restart goes on from there', async () => {
    const bus = new InProcessBus();
    const seen: bigint[] = [];
    const consumer = await bus.consume('g', async (d) => void seen.push(d.event.position));
    const feed = await start(bus, 60_000);
    const first = await events.append('s', [{ type: 'E', data: {} }], { expectedRevision: NO_STREAM });
    await until(() => seen.length === 1);
    await feed.stop();
    expect(await reads.getCheckpoint('feed')).toBe(first.position);
    await consumer.stop();

    const again = new InProcessBus();
    const seenAgain: bigint[] = [];
    const consumerAgain = await again.consume('g', async (d) => void seenAgain.push(d.event.position));
    const restarted = await start(again, 10);
    const second = await events.append('s', [{ type: 'E', data: {} }], { expectedRevision: 0n });
    await until(() => seenAgain.length === 1);
    // Only the event after the checkpoint is published again.
    expect(seenAgain).toEqual([second.position]);
    await restarted.stop();
    await consumerAgain.stop();
  });

  it.each([
    ['with fromHead', 'the head', true],
    ['without fromHead', 'the first event', false],
  ])('a first start %s publishes from %s', async (_, __, fromHead) => {
    const before = await events.append('s', [{ type: 'E', data: {} }], { expectedRevision: NO_STREAM });
    const bus = new InProcessBus();
    const seen: bigint[] = [];
    const consumer = await bus.consume('g', async (d) => void seen.push(d.event.position));
    const feed = new EventStoreFeed(events, reads, bus, 'feed', { settleGroup: 'g', fromHead, checkpointDelayMs: 10 });
    await feed.start();
    expect(await reads.getCheckpoint('feed')).toBe(fromHead ? before.position : null);
    const after = await events.append('s', [{ type: 'E', data: {} }], { expectedRevision: 0n });
    await until(() => seen.includes(after.position));
    expect(seen).toEqual(fromHead ? [after.position] : [before.position, after.position]);
    await feed.stop();
    await consumer.stop();
  });

  it('fromHead on an empty store starts before the first event, which is then published', async () => {
    const bus = new InProcessBus();
    const seen: bigint[] = [];
    const consumer = await bus.consume('g', async (d) => void seen.push(d.event.position));
    const feed = new EventStoreFeed(events, reads, bus, 'feed', { settleGroup: 'g', fromHead: true });
    await feed.start();
    expect(await reads.getCheckpoint('feed')).toBe(0n);
    const first = await events.append('s', [{ type: 'E', data: {} }], { expectedRevision: NO_STREAM });
    await until(() => seen.length === 1);
    expect(seen).toEqual([first.position]);
    await feed.stop();
    await consumer.stop();
  });

  it('a checkpoint already written wins over fromHead', async () => {
    const first = await events.append('s', [{ type: 'E', data: {} }], { expectedRevision: NO_STREAM });
    await reads.setCheckpoint('feed', 0n);
    const bus = new InProcessBus();
    const seen: bigint[] = [];
    const consumer = await bus.consume('g', async (d) => void seen.push(d.event.position));
    const feed = new EventStoreFeed(events, reads, bus, 'feed', { settleGroup: 'g', fromHead: true });
    await feed.start();
    await until(() => seen.length === 1);
    expect(seen).toEqual([first.position]);
    await feed.stop();
    await consumer.stop();
  });
});

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database = require('better-sqlite3');
import { describeEventStoreContract } from './event-store.contract';
import { NO_STREAM, StoreUnavailableError, WrongExpectedRevisionError } from './event-store.port';
import type { NewEvent, RecordedEvent } from './event-store.port';
import { SqliteEventStore } from './sqlite-event-store';

const dir = mkdtempSync(join(tmpdir(), 'portcullis-event-store-'));
const newFile = () => join(dir, `${randomUUID()}.sqlite`);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeEventStoreContract('SQLite file', async () => new SqliteEventStore(newFile()));
describeEventStoreContract('SQLite :memory:', async () => new SqliteEventStore(':memory:'));

describe('SqliteEventStore', () => {
  const event = (type: string): NewEvent => ({ type, data: { type } });

  it('starts empty at head -1n and numbers positions from 1n', async () => {
    const store = new SqliteEventStore(':memory:');

    expect(await store.headPosition()).toBe(-1n);
    expect(await store.readAll()).toEqual([]);
    const result = await store.append('s', [event('A')], {
      expectedRevision: NO_STREAM,
    });
    expect(result.position).toBe(1n);
    expect(await store.headPosition()).toBe(1n);

    await store.close();
  });

  it('stamps created from the injected clock', async () => {
    const store = new SqliteEventStore(':memory:', {
      now: () => new Date('2024-05-01T12:00:00Z'),
    });

    await store.append('s', [event('A')], { expectedRevision: NO_STREAM });

    expect((await store.readStream('s'))[0].created).toBe('2024-05-01T12:00:00.000Z');
    await store.close();
  });

  it('uses WAL so another process can read while one writes', async () => {
    const file = newFile();
    const store = new SqliteEventStore(file);

    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();

    await store.close();
  });

  describe('given two instances on the same file (the api and the projector process)', () => {
    let file: string;
    let writer: SqliteEventStore;
    let reader: SqliteEventStore;

    beforeEach(() => {
      file = newFile();
      writer = new SqliteEventStore(file);
      reader = new SqliteEventStore(file);
    });

    afterEach(async () => {
      await writer.close();
      await reader.close();
    });

    it('each sees what the other appended', async () => {
      await writer.append('s', [event('A')], { expectedRevision: NO_STREAM });
      await reader.append('s', [event('B')], { expectedRevision: 0n });

      expect((await reader.readStream('s')).map((e) => e.type)).toEqual(['A', 'B']);
      expect((await writer.readAll()).map((e) => e.type)).toEqual(['A', 'B']);
      expect(await reader.headPosition()).toBe(await writer.headPosition());
    });

    it("delivers the other instance's appends to a subscription by polling", async () => {
      await writer.append('s', [event('A')], { expectedRevision: NO_STREAM });
      const received: RecordedEvent[] = [];
      const subscription = reader.subscribeToAll({}, { onEvent: async (e) => void received.push(e) });

      await waitFor(() => received.length === 1);
      await writer.append('s', [event('B'), event('C')], {
        expectedRevision: 0n,
      });
      await writer.append('t', [event('D')], { expectedRevision: NO_STREAM });
      await waitFor(() => received.length === 4);
      await subscription.stop();

      expect(received.map((e) => e.type)).toEqual(['A', 'B', 'C', 'D']);
      expect(received.map((e) => e.position)).toEqual([1n, 2n, 3n, 4n]);
    });

    it('enforces the expected revision across instances', async () => {
      await writer.append('s', [event('A')], { expectedRevision: NO_STREAM });
      await reader.append('s', [event('B')], { expectedRevision: 0n });

      await expect(writer.append('s', [event('C')], { expectedRevision: 0n })).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
    });
  });

  it('keeps its events across close and reopen, and continues the positions', async () => {
    const file = newFile();
    const first = new SqliteEventStore(file);
    await first.append('s', [event('A'), event('B')], {
      expectedRevision: NO_STREAM,
    });
    const before = await first.readAll();
    await first.close();

    const reopened = new SqliteEventStore(file);
    expect(await reopened.readAll()).toEqual(before);
    const result = await reopened.append('s', [event('C')], {
      expectedRevision: 1n,
    });
    expect(result.position).toBe(3n);
    await reopened.close();
  });

  it('stops its subscriptions on close and then reports itself unavailable', async () => {
    const store = new SqliteEventStore(':memory:');
    await store.append('s', [event('A')], { expectedRevision: NO_STREAM });
    const received: string[] = [];
    store.subscribeToAll({}, { onEvent: async (e) => void received.push(e.type) });
    await waitFor(() => received.length === 1);

    await store.close();
    await store.close();

    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.readAll()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.append('s', [event('B')], { expectedRevision: 0n })).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
  });

  it('reports an unopenable file as StoreUnavailableError', () => {
    expect(() => new SqliteEventStore(join(dir, 'missing', 'dir', 'events.sqlite'))).toThrow(StoreUnavailableError);
  });

  it('serializes appends from several processes on one file without losing or reusing a position, and a subscription here sees them all', async () => {
    const file = newFile();
    // The subscriber is caught up (and waiting) before the other processes write: it learns of their commits
    // from the store's watch on the file, as the projector learns of the api's.
    const watching = new SqliteEventStore(file);
    const received: RecordedEvent[] = [];
    const subscription = watching.subscribeToAll({}, { onEvent: async (e) => void received.push(e) });
    const processes = 4;
    const appendsEach = 50;
    // Each child is a real separate process with its own connection, as the api and projector are.
    const child = `
      require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
      const { SqliteEventStore } = require(${JSON.stringify(join(__dirname, 'sqlite-event-store.ts'))});
      (async () => {
        const store = new SqliteEventStore(process.argv[1]);
        for (let i = 0; i < ${appendsEach}; i++) {
          await store.append('shared', [{ type: 'E', data: { pid: process.pid, i } }], { expectedRevision: 'any' });
        }
        await store.close();
      })().catch((error) => { console.error(error); process.exit(1); });
    `;

    await Promise.all(
      Array.from({ length: processes }, () =>
        promisify(execFile)(process.execPath, ['-e', child, file], {
          cwd: __dirname,
          timeout: 60_000,
        }),
      ),
    );

    const store = new SqliteEventStore(file);
    const all = await store.readAll();
    expect(all).toHaveLength(processes * appendsEach);
    expect(all.map((e) => e.position)).toEqual(all.map((_, i) => BigInt(i + 1)));
    expect(all.map((e) => e.revision)).toEqual(all.map((_, i) => BigInt(i)));
    await store.close();
    await waitFor(() => received.length === processes * appendsEach);
    await subscription.stop();
    expect(received.map((e) => e.position)).toEqual(all.map((e) => e.position));
    await watching.close();
  }, 60_000);
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

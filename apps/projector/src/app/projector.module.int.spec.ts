import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NewEvent, ReadStore } from '@portcullis/persistence';
import { READ_STORE, SqliteEventStore } from '@portcullis/persistence';
import { allProjections, findUserByUsername, waitForPosition } from '@portcullis/read-models';
import { ProjectorModule } from './projector.module';
import { ProjectionRunnerService } from './projection-runner.service';
import { ProjectorRunningError, rebuildReadModelsCommand } from './rebuild-read-models.command';
import { StoresModule } from './stores.module';

const registered = (id: number, username: string): NewEvent => ({
  type: 'UserRegistered',
  data: {
    id,
    username,
    email: null,
    displayName: null,
    passwordHash: 'h',
    admin: false,
    bot: false,
    at: '2030-01-01T00:00:00.000Z',
  },
  metadata: { actor: null },
});

describe('projector process', () => {
  const saved = { ...process.env };
  let dir: string;
  let events: SqliteEventStore;

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'projector-'));
    process.env['PORTCULLIS_DATA_DIR'] = dir;
    delete process.env['PORTCULLIS_EVENTSTORE_URL'];
    delete process.env['PORTCULLIS_MONGODB_URL'];
    events = new SqliteEventStore(join(dir, 'events.sqlite'), {
      pollIntervalMs: 5,
    });
  });
  afterEach(async () => {
    await events.close();
    process.env = { ...saved };
    rmSync(dir, { recursive: true, force: true });
  });

  it('catches up, follows new events, and stops cleanly', async () => {
    await events.append('user-1', [registered(1, 'alice')], {
      expectedRevision: 'no_stream',
    });
    const app = await NestFactory.createApplicationContext(ProjectorModule);
    const readStore = app.get<ReadStore>(READ_STORE);
    const { position } = await events.append('user-2', [registered(2, 'bob')], {
      expectedRevision: 'no_stream',
    });
    expect(await waitForPosition(readStore, allProjections, position, 10_000)).toBe(true);
    expect((await findUserByUsername(readStore, 'alice'))?.id).toBe(1);
    expect((await findUserByUsername(readStore, 'bob'))?.id).toBe(2);
    await app.close();
    // Closed: the read store no longer answers.
    await expect(readStore.ping()).rejects.toThrow();
  });

  it('rebuild-read-models replays everything and reports counts', async () => {
    for (let i = 1; i <= 30; i++) {
      await events.append(`user-${i}`, [registered(i, `u${i}`)], {
        expectedRevision: 'no_stream',
      });
    }
    const app = await NestFactory.createApplicationContext(StoresModule);
    try {
      const report = await rebuildReadModelsCommand(app);
      expect(report.events).toBe(30);
      expect(report.collections).toMatchObject({
        users: 30,
        credentials: 30,
        activities: 30,
      });
    } finally {
      await app.close();
    }
  });

  it('rebuild-read-models refuses while a projector runs (it holds the lease), and rebuilds once it stopped', async () => {
    process.env['PORTCULLIS_PROJECTOR_LEASE_MS'] = '600';
    process.env['PORTCULLIS_PROJECTOR_LEASE_RENEW_MS'] = '100';
    for (let i = 1; i <= 5; i++)
      await events.append(`user-${i}`, [registered(i, `u${i}`)], { expectedRevision: 'no_stream' });
    const daemon = await NestFactory.createApplicationContext(ProjectorModule);
    const leading = daemon.get(ProjectionRunnerService).lease;
    for (let i = 0; i < 100 && leading.epoch === null; i++) await new Promise((r) => setTimeout(r, 20));
    expect(leading.epoch).not.toBeNull();
    const cli = await NestFactory.createApplicationContext(StoresModule);
    try {
      const refused = await rebuildReadModelsCommand(cli).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ProjectorRunningError);
      expect(String((refused as Error).message)).toMatch(/a projector is running .*stop every projector process/);
      // The daemon kept its lease and its read models: the refusal dropped nothing.
      expect(leading.epoch).not.toBeNull();
      expect((await findUserByUsername(cli.get<ReadStore>(READ_STORE), 'u5'))?.id).toBe(5);

      await daemon.close();
      const report = await rebuildReadModelsCommand(cli);
      expect(report.events).toBe(5);
      expect(report.collections).toMatchObject({ users: 5 });
    } finally {
      await cli.close();
    }
  });
});

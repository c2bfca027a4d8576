import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OwnServer, ownServerMissing, StoreUnavailableError } from '@portcullis/persistence';
import { createApp } from '../app/create-app';
import { loadConfig } from '@portcullis/config';
import { startApi, type TestApi } from '../testing/harness';

// The run's shared FerretDB must stay up for every other suite, so this test stops one of its own.
const missing = ownServerMissing('ferretdb');
if (missing) console.warn(`health with a stopped MongoDB skipped: ${missing}`);

(missing ? describe.skip : describe)('GET /api/v1/health while MongoDB (FerretDB) stops and comes back', () => {
  let ferret: OwnServer | undefined;
  let api: TestApi | undefined;

  beforeAll(async () => {
    ferret = await OwnServer.start('ferretdb');
    api = await startApi({
      PORTCULLIS_MONGODB_URL: `${ferret.url}health_e2e`,
      PORTCULLIS_MONGODB_SERVER_SELECTION_TIMEOUT_MS: '2000',
    });
  }, 60_000);

  afterAll(async () => {
    await api?.close().catch(() => undefined);
    await ferret?.dispose();
  });

  it('reports read_models down with what is wrong, answers requests 503, and reports up once it is back', async () => {
    if (!api || !ferret) throw new Error('set-up failed');
    const up = await api.http.get('/api/v1/health').expect(200);
    expect(up.body.read_models).toEqual({
      success: true,
      status: 'up',
      msg: `MongoDB answers at mongodb://127.0.0.1:${ferret.port}/health_e2e (write concern majority, read concern majority, retryable writes)`,
    });

    await ferret.stop();
    const down = await api.http.get('/api/v1/health').expect(503);
    expect(down.body.read_models).toMatchObject({ success: false, status: 'down' });
    expect(down.body.read_models.msg).toMatch(
      new RegExp(
        `^ping: MongoDB unreachable at mongodb://127\\.0\\.0\\.1:${ferret.port}/health_e2e \\((no server selectable within 2000 ms|connection lost)\\)`,
      ),
    );
    expect(down.body.database).toMatchObject({ success: true, status: 'up' });
    const request = await api.http.get('/api/v1/users').set('Portus-Auth', api.admin);
    expect(request.status).toBe(503);
    expect(request.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(request.body).toMatchObject({ status: 503, code: 'UNAVAILABLE' });

    await ferret.restart();
    const deadline = Date.now() + 20_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await api.http.get('/api/v1/health')).status;
      if (status !== 200) await new Promise((done) => setTimeout(done, 250));
    }
    expect(status).toBe(200);
  }, 60_000);
});

describe('start-up with an EventStoreDB that cannot be reached', () => {
  // The api reads $all while starting (ACL index), so a down EventStoreDB stops start-up; the error must say
  // which server, after how many attempts, and never the password. Port 1 refuses connections at once.
  it('fails with EventStoreUnreachableError naming the server without the password', async () => {
    const SECRET = 'never-in-errors';
    const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-esdb-down-'));
    const app = await createApp(
      loadConfig({
        PORTCULLIS_DATA_DIR: dataDir,
        PORTCULLIS_LOG_LEVEL: 'silent',
        PORTCULLIS_EVENTSTORE_URL: `esdb://admin:${SECRET}@127.0.0.1:1?tls=false&maxDiscoverAttempts=1`,
        PORTCULLIS_EVENTSTORE_READ_DEADLINE_MS: '500',
        PORTCULLIS_EVENTSTORE_APPEND_DEADLINE_MS: '500',
      }),
    );
    const error: unknown = await app.init().catch((e: unknown) => e);
    await app.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).name).toBe('EventStoreUnreachableError');
    expect((error as Error).message).toMatch(
      /EventStoreDB unreachable at esdb:\/\/\*\*\*@127\.0\.0\.1:1 \(tls=false\) \(\d+ attempt\(s\) in \d+ ms\)/,
    );
    expect(String((error as Error).stack)).not.toContain(SECRET);
  }, 30_000);
});

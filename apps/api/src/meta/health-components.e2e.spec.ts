import { OwnServer, ownServerMissing } from '@portcullis/persistence';
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
      PORTCULLIS_MONGODB_SERVER_SELECTION_TIMEOUT_MS: '500',
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
        `^ping: MongoDB unreachable at mongodb://127\\.0\\.0\\.1:${ferret.port}/health_e2e \\((no server selectable within 500 ms|connection lost)\\)`,
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

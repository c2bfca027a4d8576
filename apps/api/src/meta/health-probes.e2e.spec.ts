import { EVENT_STORE, NO_STREAM, READ_STORE, type EventStore, type ReadStore } from '@portcullis/persistence';
import { Draining } from '../platform/graceful-shutdown';
import { startApi, type TestApi } from '../testing/harness';
import { eventually } from '../testing/webhook-receiver';

describe('health probes: live and ready', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('live answers 200 without credentials and consults nothing', async () => {
    const res = await api.http.get('/api/v1/health/live').expect(200);
    expect(res.body).toEqual({ status: 'live' });
  });

  it('ready answers 200 with each check when stores answer and projections are caught up', async () => {
    const res = await api.http.get('/api/v1/health/ready').expect(200);
    expect(res.body).toMatchObject({
      status: 'ready',
      checks: { event_store: { ok: true }, read_models: { ok: true }, projections: { ok: true, msg: 'caught up' } },
    });
  });

  it('keeps /api/v1/health as it was (per component, for people)', async () => {
    const res = await api.http.get('/api/v1/health').expect(200);
    expect(res.body).toMatchObject({ database: { success: true }, read_models: { success: true } });
  });

  it('turns ready 503 at once when draining, and asks clients not to keep the connection', async () => {
    const draining = api.app.get(Draining);
    draining.active = true;
    try {
      const res = await api.http.get('/api/v1/health/ready').expect(503);
      expect(res.body.status).toBe('draining');
      expect(res.headers['connection']).toBe('close');
      // Liveness is not readiness: the process still answers.
      await api.http.get('/api/v1/health/live').expect(200);
    } finally {
      draining.active = false;
    }
    await api.http.get('/api/v1/health/ready').expect(200);
  });
});

describe('health probes: ready fails on a real lag and on a closed store', () => {
  let api: TestApi;
  beforeAll(async () => {
    // No projections in this process and no projector: anything appended stays unprojected.
    api = await startApi(
      { PORTCULLIS_PROJECTOR_EMBEDDED: 'false', PORTCULLIS_HEALTH_READY_MAX_LAG_SECONDS: '1' },
      { bootstrap: false },
    );
  });
  afterAll(() => api.close());

  it('answers 503 once the oldest unprojected event is older than health.ready.max_lag_seconds', async () => {
    await api.app
      .get<EventStore>(EVENT_STORE)
      .append('probe-test-1', [{ type: 'ProbeTestHappened', data: {} }], { expectedRevision: NO_STREAM });
    const res = await eventually(async () => {
      const r = await api.http.get('/api/v1/health/ready');
      return r.status === 503 && r;
    }, 10_000);
    expect(res.body.status).toBe('not_ready');
    expect(res.body.checks.projections.ok).toBe(false);
    expect(res.body.checks.projections.msg).toMatch(/behind \(bound 1 s\)/);
    expect(res.body.checks.event_store.ok).toBe(true);
    // The lag is on /metrics too, per projection.
    const metrics = await api.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/portcullis_projection_lag_events\{projection="users"\} 1\n/);
  });

  it('answers 503 naming the read models when that store is closed', async () => {
    await api.app.get<ReadStore>(READ_STORE).close();
    const res = await api.http.get('/api/v1/health/ready').expect(503);
    expect(res.body.checks.read_models.ok).toBe(false);
    await api.http.get('/api/v1/health/live').expect(200);
  });
});

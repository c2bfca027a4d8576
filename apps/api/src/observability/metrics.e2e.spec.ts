import { startApi, type TestApi } from '../testing/harness';
import { NotificationSecrets } from '../registry-events/notification-secrets';
import { Receiver, eventually, fastWebhookEnv, notification } from '../testing/webhook-receiver';

/** sample reads one series' value from Prometheus text (null when the series is absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return null;
}

const SERVICE = 'registry.test:5000';
const basic = (auth: string) => `Basic ${Buffer.from(auth).toString('base64')}`;

describe('GET /metrics (Prometheus text)', () => {
  let api: TestApi;
  const scrape = async () => {
    const res = await api.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text;
  };
  const token = (auth: string | null, scopes: string[]) => {
    const q = new URLSearchParams({ service: SERVICE });
    for (const s of scopes) q.append('scope', s);
    const req = api.http.get(`/v2/token?${q.toString()}`);
    return auth ? req.set('Authorization', basic(auth)) : req;
  };

  beforeAll(async () => {
    api = await startApi(fastWebhookEnv);
  });
  afterAll(() => api?.close());

  it('counts token decisions by result', async () => {
    const bob = await api.user('bob');
    const before = await scrape();
    const count = (text: string, result: string) => sample(text, 'portcullis_token_decisions_total', { result }) ?? 0;
    await token(null, ['repository:admin/app:pull']).expect(200);
    await token(bob.auth, []).expect(200);
    await token(bob.auth, ['repository:bob/app:pull', 'repository:admin/app:pull']).expect(200);
    await token(bob.auth, ['repository:admin/app:pull,push']).expect(200);
    await token('bob:wrong-token', ['repository:bob/app:pull']).expect(401);
    // The POST door (OAuth2 form) is counted the same way.
    await api.http
      .post('/v2/token')
      .type('form')
      .send({ grant_type: 'password', username: 'bob', password: 'password1234', service: SERVICE })
      .expect(200);
    const after = await scrape();
    expect(count(after, 'anonymous') - count(before, 'anonymous')).toBe(1);
    expect(count(after, 'granted') - count(before, 'granted')).toBe(2);
    expect(count(after, 'partial') - count(before, 'partial')).toBe(1);
    expect(count(after, 'denied') - count(before, 'denied')).toBe(2);
    expect(count(after, 'error') - count(before, 'error')).toBe(0);
  });

  it('times event-store appends: a command leaves a sample', async () => {
    const appends = (text: string) =>
      sample(text, 'portcullis_event_store_append_duration_seconds_count', { outcome: 'ok' }) ?? 0;
    const before = appends(await scrape());
    await api.http.post('/api/v1/teams').set('Portus-Auth', api.admin).send({ name: 'ops' }).expect(201);
    const after = await scrape();
    expect(appends(after)).toBeGreaterThan(before);
    expect(sample(after, 'portcullis_event_store_append_duration_seconds_sum', { outcome: 'ok' })).toBeGreaterThan(0);
  });

  it('has an HTTP latency histogram by method, route template and status class', async () => {
    await api.http.get('/api/v1/teams/999999').set('Portus-Auth', api.admin).expect(404);
    const text = await scrape();
    const labels = { method: 'POST', route: '/api/v1/teams', status_class: '2xx' };
    expect(sample(text, 'portcullis_http_request_duration_seconds_count', labels)).toBeGreaterThanOrEqual(1);
    // The template, never the id: label values stay bounded.
    const byId = { method: 'GET', route: '/api/v1/teams/:id', status_class: '4xx' };
    expect(sample(text, 'portcullis_http_request_duration_seconds_count', byId)).toBe(1);
    expect(text).not.toMatch(/route="[^"]*999999/);
  });

  it('reports projection lag per projection, zero once caught up', async () => {
    const text = await scrape();
    const lines = text.split('\n').filter((l) => l.startsWith('portcullis_projection_lag_events{'));
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(line).toMatch(/projection="[a-z_-]+"\} 0$/);
    expect(sample(text, 'portcullis_projection_lag_seconds', {})).toBe(0);
  });

  it('counts webhook delivery attempts by outcome (a real receiver: down, then up)', async () => {
    const deliveries = (text: string, outcome: string) =>
      sample(text, 'portcullis_webhook_deliveries_total', { outcome });
    const first = await scrape();
    for (const outcome of ['delivered', 'retrying', 'dead']) expect(deliveries(first, outcome)).toBe(0);
    const receiver = new Receiver();
    await receiver.start();
    try {
      const alice = await api.user('alice');
      await api.http.post('/api/v1/teams').set('Portus-Auth', alice.auth).send({ name: 'devs' }).expect(201);
      const ns = await api.http
        .post('/api/v1/namespaces')
        .set('Portus-Auth', alice.auth)
        .send({ name: 'ns', team: 'devs' })
        .expect(201);
      await api.http
        .post(`/api/v1/namespaces/${ns.body.id}/webhooks`)
        .set('Portus-Auth', alice.auth)
        .send({ webhook: { name: 'ci', url: receiver.url } })
        .expect(201);
      receiver.status = 503;
      const [registry] = (await api.http.get('/api/v1/registries').set('Portus-Auth', api.admin)).body;
      await api.http
        .post('/v2/webhooks/events')
        .set('Content-Type', 'application/vnd.docker.distribution.events.v1+json')
        .set('Authorization', api.app.get(NotificationSecrets).authorizationFor(registry.id))
        .send(JSON.stringify(notification('push-manifest', 'ns/app')))
        .expect((r) => expect(r.status).toBeLessThan(300));
      await eventually(async () => (deliveries(await scrape(), 'retrying') ?? 0) >= 1);
      receiver.status = 200;
      await eventually(async () => deliveries(await scrape(), 'delivered') === 1);
      expect(receiver.delivered()).toHaveLength(1);
    } finally {
      await receiver.stop();
    }
  });

  it('refuses a loopback request that came through a proxy, and other methods', async () => {
    const res = await api.http.get('/metrics').set('X-Forwarded-For', '203.0.113.9').expect(403);
    expect(res.text).toMatch(/metrics\.token/);
    await api.http.post('/metrics').expect(405);
  });
});

describe('GET /metrics with metrics.token', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ PORTCULLIS_METRICS_TOKEN: 'scrape-secret-1' }, { bootstrap: false });
  });
  afterAll(() => api?.close());

  it('needs the bearer token, even from loopback', async () => {
    const none = await api.http.get('/metrics').expect(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    await api.http.get('/metrics').set('Authorization', 'Bearer wrong').expect(401);
    const ok = await api.http.get('/metrics').set('Authorization', 'Bearer scrape-secret-1').expect(200);
    expect(ok.text).toContain('portcullis_token_decisions_total');
  });

  it('keeps the token out of `portcullis config` output', () => {
    expect(api.config.raw['metrics.token']).toBe('[redacted]');
  });
});

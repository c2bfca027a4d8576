import { createHmac, randomUUID } from 'node:crypto';
import { NatsJetStreamBus } from '@portcullis/persistence';
import { startApi, expectProblem, type TestApi } from '../testing/harness';
import { NotificationSecrets } from '../registry-events/notification-secrets';
import { PullRecorder } from '../registry-events/pull-recorder';
import { ReadSide } from '../platform/read-side';
import { Receiver, eventually, fastWebhookEnv, notification } from '../testing/webhook-receiver';

// The same delivery tests run embedded (in-process bus fed by the event store) and, when NATS_URL is set
// (`npm test` starts a nats-server), through JetStream with a stream of their own.
const natsUrl = process.env['NATS_URL'];
if (!natsUrl) process.stdout.write('webhooks.e2e: NATS_URL not set, the NATS mode is skipped\n');
const modes: Array<[string, Record<string, string>]> = [['embedded', {}]];
if (natsUrl) modes.push(['NATS JetStream', { PORTCULLIS_NATS_URL: natsUrl }]);
jest.setTimeout(60_000);

describe.each(modes)('webhooks (%s)', (_mode, modeEnv) => {
  let api: TestApi;
  let receiver: Receiver;
  let other: Receiver;
  let alice: { id: number; auth: string };
  let carol: { id: number; auth: string };
  let ns: number;
  let notify: (envelope: unknown) => Promise<unknown>;
  let stream: string;
  const hooks: Record<string, { id: number }> = {};

  beforeAll(async () => {
    receiver = new Receiver();
    other = new Receiver();
    await receiver.start();
    await other.start();
    stream = `WH_${randomUUID().replace(/-/g, '')}`;
    api = await startApi({
      ...fastWebhookEnv,
      ...modeEnv,
      PORTCULLIS_WEBHOOKS_NATS_STREAM: stream,
      PORTCULLIS_REGISTRY_PULLS_COALESCE_SECONDS: '3600',
    });
    alice = await api.user('alice');
    carol = await api.user('carol');
    await api.http.post('/api/v1/teams').set('Portus-Auth', alice.auth).send({ name: 'devs' }).expect(201);
    const team = (await api.http.get('/api/v1/teams').set('Portus-Auth', alice.auth)).body[0];
    await api.http
      .post(`/api/v1/teams/${team.id}/members`)
      .set('Portus-Auth', alice.auth)
      .send({ role: 'contributor', user: 'carol' })
      .expect(201);
    ns = (
      await api.http
        .post('/api/v1/namespaces')
        .set('Portus-Auth', alice.auth)
        .send({ name: 'ns', team: 'devs' })
        .expect(201)
    ).body.id;
    const [registry] = (await api.http.get('/api/v1/registries').set('Portus-Auth', api.admin)).body;
    const authorization = api.app.get(NotificationSecrets).authorizationFor(registry.id);
    notify = (envelope) =>
      api.http
        .post('/v2/webhooks/events')
        .set('Content-Type', 'application/vnd.docker.distribution.events.v1+json')
        .set('Authorization', authorization)
        .send(JSON.stringify(envelope))
        .expect((r) => expect(r.status).toBeLessThan(300));
  });
  afterAll(async () => {
    await api.close();
    await receiver.stop();
    await other.stop();
    if (natsUrl && modeEnv['PORTCULLIS_NATS_URL']) {
      const admin = await NatsJetStreamBus.connect({ url: natsUrl, stream });
      await admin.deleteStream();
      await admin.close();
    }
  });

  const create = (webhook: Record<string, unknown>, auth = alice.auth, path = `/api/v1/namespaces/${ns}/webhooks`) =>
    api.http.post(path).set('Portus-Auth', auth).send({ webhook });
  const deliveries = async (hookId: number) =>
    (
      await api.http
        .get(`/api/v1/namespaces/${ns}/webhooks/${hookId}/deliveries?all=true`)
        .set('Portus-Auth', alice.auth)
        .expect(200)
    ).body;

  it('lets the owner create webhooks, refuses a contributor, and never returns secrets', async () => {
    const denied = await create({ name: 'x', url: receiver.url }, carol.auth);
    expectProblem(denied, 403);
    const res = await create({
      name: 'ci',
      url: receiver.url,
      username: 'hook',
      password: 'hunter2-password',
      secret: 'signing-secret',
      repositories: ['ns/*'],
    }).expect(201);
    expect(res.body).toMatchObject({
      name: 'ci',
      enabled: true,
      has_password: true,
      has_secret: true,
      events: ['push', 'delete'],
    });
    expect(JSON.stringify(res.body)).not.toMatch(/hunter2|signing-secret/);
    hooks['ci'] = res.body;
    await api.http
      .post(`/api/v1/namespaces/${ns}/webhooks/${res.body.id}/headers`)
      .set('Portus-Auth', alice.auth)
      .send({ webhook_header: { name: 'X-Token', value: 'header-secret' } })
      .expect(201);
    hooks['form'] = (
      await create({
        name: 'form',
        url: other.url,
        request_method: 'GET',
        content_type: 'application/x-www-form-urlencoded',
        format: 'cloudevents',
      }).expect(201)
    ).body;
    hooks['disabled'] = (await create({ name: 'off', url: receiver.url + '?off', enabled: false }).expect(201)).body;
    hooks['filtered'] = (
      await create({ name: 'other', url: receiver.url + '?filtered', repositories: ['ns/other-*'] }).expect(201)
    ).body;
    const shown = await api.http
      .get(`/api/v1/namespaces/${ns}/webhooks/${res.body.id}`)
      .set('Portus-Auth', carol.auth)
      .expect(200);
    expect(shown.body.headers).toEqual([{ id: expect.any(Number), name: 'X-Token' }]);
    expect(JSON.stringify(shown.body)).not.toContain('header-secret');
  });

  it('sends exactly one request per matching enabled webhook for a push, with method, type, headers, auth and signature', async () => {
    await notify(notification('push-manifest', 'ns/app', 'v1'));
    await eventually(() => receiver.got.length >= 1 && other.got.length >= 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.got).toHaveLength(1); // not the disabled one, not the filtered one
    expect(other.got).toHaveLength(1);
    const [req] = receiver.got;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/hook');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-token']).toBe('header-secret');
    expect(req.headers['authorization']).toBe(`Basic ${Buffer.from('hook:hunter2-password').toString('base64')}`);
    const mac = createHmac('sha256', 'signing-secret').update(req.body).digest('hex');
    expect(req.headers['portcullis-signature-256']).toBe(`sha256=${mac}`);
    expect(req.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}\.\d+$/);
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({ action: 'push', target: { repository: 'ns/app', tag: 'v1' } });
    const [form] = other.got;
    expect(form.method).toBe('GET');
    expect(form.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const params = new URLSearchParams(form.body);
    expect(params.get('specversion')).toBe('1.0');
    expect(params.get('type')).toBe('io.portcullis.image.pushed');
    expect(params.get('data[target][repository]')).toBe('ns/app');
    const log = await eventually(async () => {
      const d = await deliveries(hooks['ci'].id);
      return d.length === 1 && d[0].state === 'delivered' && d;
    });
    expect(log[0].request.headers['Authorization']).toBe('Basic [redacted]');
    expect(log[0].request.headers['X-Token']).toBe('[redacted]');
    expect(log[0].response.body).toBe('ok');
    expect(JSON.stringify(log)).not.toMatch(/hunter2|header-secret/);
  });

  it('sends one request per webhook for a delete, and nothing for a pull', async () => {
    const before = receiver.got.length;
    await notify(notification('pull-manifest', 'ns/app', 'v1'));
    await api.app.get(PullRecorder).flush();
    await notify(notification('delete', 'ns/app'));
    await eventually(() => receiver.got.length > before);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.got.slice(before).map((r) => JSON.parse(r.body).action)).toEqual(['delete']);
  });

  it('retries while the receiver is down and delivers once it is back', async () => {
    receiver.status = 503;
    const before = receiver.delivered().length;
    await notify(notification('push-manifest', 'ns/app', 'v2'));
    await eventually(() => receiver.got.filter((r) => r.answered === 503).length >= 3);
    receiver.status = 200;
    await eventually(() => receiver.delivered().length > before);
    await new Promise((r) => setTimeout(r, 500));
    const delivered = receiver.delivered().slice(before);
    expect(delivered).toHaveLength(1);
    const attempts = receiver.got.filter(
      (r) => r.headers['idempotency-key'] === delivered[0].headers['idempotency-key'],
    );
    expect(attempts.length).toBeGreaterThanOrEqual(4);
    const log = await eventually(async () => {
      const d = (await deliveries(hooks['ci'].id)).find(
        (x: { idempotency_key: string }) => x.idempotency_key === delivered[0].headers['idempotency-key'],
      );
      return d?.state === 'delivered' && d;
    });
    expect(log.attempts.slice(0, 3).map((a: { status: number; outcome: string }) => [a.status, a.outcome])).toEqual([
      [503, 'retrying'],
      [503, 'retrying'],
      [503, 'retrying'],
    ]);
  });

  it('replays exactly the events after a position, and retriggers one delivery', async () => {
    const log = (await deliveries(hooks['ci'].id)).filter((d: { replay_id: number | null }) => d.replay_id === null);
    const byPosition = [...log].sort((a, b) => Number(a.event_position) - Number(b.event_position));
    expect(byPosition.map((d: { event: string }) => d.event)).toEqual(['push', 'delete', 'push']);
    const before = receiver.got.length;
    await api.http
      .post(`/api/v1/namespaces/${ns}/webhooks/${hooks['ci'].id}/replay`)
      .set('Portus-Auth', alice.auth)
      .send({ from_position: byPosition[0].event_position })
      .expect(202);
    await eventually(() => receiver.got.length >= before + 2);
    await new Promise((r) => setTimeout(r, 500));
    const replayed = receiver.got.slice(before);
    expect(replayed.map((r) => r.headers['idempotency-key'])).toEqual(
      byPosition.slice(1).map((d: { idempotency_key: string }) => d.idempotency_key),
    );

    const again = receiver.got.length;
    await api.http
      .put(`/api/v1/namespaces/${ns}/webhooks/${hooks['ci'].id}/deliveries/${byPosition[0].id}`)
      .set('Portus-Auth', alice.auth)
      .expect(200);
    await eventually(() => receiver.got.length > again);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.got.slice(again).map((r) => r.headers['idempotency-key'])).toEqual([byPosition[0].idempotency_key]);
    expect(
      (
        await api.http
          .put(`/api/v1/namespaces/${ns}/webhooks/${hooks['ci'].id}/deliveries/${byPosition[0].id}`)
          .set('Portus-Auth', carol.auth)
      ).status,
    ).toBe(403);
  });

  it('records every change as an activity', async () => {
    await api.http
      .put(`/api/v1/namespaces/${ns}/webhooks/${hooks['filtered'].id}/toggle_enabled`)
      .set('Portus-Auth', alice.auth)
      .expect(200);
    await api.http
      .delete(`/api/v1/namespaces/${ns}/webhooks/${hooks['filtered'].id}`)
      .set('Portus-Auth', alice.auth)
      .expect(204);
    const acts = (await api.app.get(PullRecorder)) && (await (await import('../platform/read-side')).ReadSide);
    expect(acts).toBeDefined();
    const docs = await api.app
      .get(ReadSide)
      .store.collection('activities')
      .find({ trackable_type: 'Webhook' }, { sort: [['id', 1]] });
    expect(docs.map((d) => d['key'])).toEqual(
      expect.arrayContaining([
        'webhook.create',
        'webhook.update',
        'webhook.disabled',
        'webhook.destroy',
        'webhook.replay',
      ]),
    );
  });

  it('offers system-wide webhooks to admins only', async () => {
    expectProblem(await create({ name: 'all', url: receiver.url }, alice.auth, '/api/v1/webhooks'), 403);
    await create(
      { name: 'all', url: receiver.url + '?all', repositories: ['ns/sys'] },
      api.admin,
      '/api/v1/webhooks',
    ).expect(201);
    await notify(notification('push-manifest', 'ns/sys', 'v1'));
    await eventually(() => receiver.got.some((r) => r.url === '/hook?all'));
  });
});

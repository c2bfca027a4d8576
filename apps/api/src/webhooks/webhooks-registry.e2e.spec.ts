import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NatsJetStreamBus } from '@portcullis/persistence';
import { startApi, type TestApi } from '../testing/harness';
import {
  connectRegistry,
  ociLayout,
  realRegistryAvailable,
  skopeo,
  type ConnectedRegistry,
} from '../testing/real-registry';
import { PullRecorder } from '../registry-events/pull-recorder';
import { Receiver, eventually, fastWebhookEnv, type Received } from '../testing/webhook-receiver';

// Issue 5's delivery proof with nothing recorded: skopeo pushes, pulls and deletes through Debian's
// docker-registry 2.8 started from the config Portcullis generates, whose notifications reach the api; the
// receivers are real HTTP servers. webhooks.e2e.spec.ts covers the rest (outage, replay, activities) with
// recorded notifications. Embedded always; NATS JetStream when NATS_URL is set (`npm test` starts one).
if (!realRegistryAvailable) process.stdout.write('webhooks-registry.e2e: docker-registry or skopeo missing, skipped\n');
const natsUrl = process.env['NATS_URL'];
if (realRegistryAvailable && !natsUrl)
  process.stdout.write('webhooks-registry.e2e: NATS_URL not set, the NATS mode is skipped\n');
const modes: Array<[string, Record<string, string>]> = [['embedded', {}]];
if (natsUrl) modes.push(['NATS JetStream', { PORTCULLIS_NATS_URL: natsUrl }]);
const suite = realRegistryAvailable ? describe.each(modes) : describe.skip.each(modes);
jest.setTimeout(120_000);

const CREDS = 'alice:password1234';
// Long enough for a stray delivery (a doubled one, or one for a pull) to arrive after the expected ones.
const SETTLE_MS = 700;

suite('webhooks through the real registry (%s)', (_mode, modeEnv) => {
  let api: TestApi;
  let dir: string;
  let connected: ConnectedRegistry | null = null;
  let receiver: Receiver;
  let other: Receiver;
  let stream: string;
  let digest: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-webhooks-registry-'));
    receiver = new Receiver();
    other = new Receiver();
    await receiver.start();
    await other.start();
    stream = `WHR_${randomUUID().replace(/-/g, '')}`;
    api = await startApi({
      ...fastWebhookEnv,
      ...modeEnv,
      PORTCULLIS_WEBHOOKS_NATS_STREAM: stream,
      // Pulls are recorded only when the test flushes them, so "nothing for a pull" has a definite moment.
      PORTCULLIS_REGISTRY_PULLS_COALESCE_SECONDS: '3600',
      PORTCULLIS_BACKGROUND_SYNC_ENABLED: 'false',
    });
    const alice = await api.user('alice');
    await api.http.post('/api/v1/teams').set('Portus-Auth', alice.auth).send({ name: 'devs' }).expect(201);
    const ns = (
      await api.http
        .post('/api/v1/namespaces')
        .set('Portus-Auth', alice.auth)
        .send({ name: 'ns', team: 'devs' })
        .expect(201)
    ).body.id;
    const create = (webhook: Record<string, unknown>) =>
      api.http.post(`/api/v1/namespaces/${ns}/webhooks`).set('Portus-Auth', alice.auth).send({ webhook }).expect(201);
    const ci = await create({
      name: 'ci',
      url: receiver.url,
      username: 'hook',
      password: 'hunter2-password',
      secret: 'signing-secret',
      repositories: ['ns/*'],
    });
    await api.http
      .post(`/api/v1/namespaces/${ns}/webhooks/${ci.body.id}/headers`)
      .set('Portus-Auth', alice.auth)
      .send({ webhook_header: { name: 'X-Token', value: 'header-secret' } })
      .expect(201);
    await create({
      name: 'form',
      url: other.url,
      request_method: 'GET',
      content_type: 'application/x-www-form-urlencoded',
      format: 'cloudevents',
    });
    // Both point at the main receiver with a query of their own, so anything they were sent would show.
    await create({ name: 'off', url: receiver.url + '?off', enabled: false });
    await create({ name: 'filtered', url: receiver.url + '?filtered', repositories: ['ns/other-*'] });
    connected = await connectRegistry(api, dir);
  });

  afterAll(async () => {
    await connected?.registry.stop();
    await api?.close();
    await receiver?.stop();
    await other?.stop();
    if (natsUrl && modeEnv['PORTCULLIS_NATS_URL']) {
      const admin = await NatsJetStreamBus.connect({ url: natsUrl, stream });
      await admin.deleteStream();
      await admin.close();
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const ref = (tag: string) => `docker://${connected?.addr}/ns/app:${tag}`;
  const settled = async (expected: () => boolean) => {
    await eventually(expected);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
  };
  const expectCi = (req: Received, action: string) => {
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/hook');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-token']).toBe('header-secret');
    expect(req.headers['authorization']).toBe(`Basic ${Buffer.from('hook:hunter2-password').toString('base64')}`);
    const mac = createHmac('sha256', 'signing-secret').update(req.body).digest('hex');
    expect(req.headers['portcullis-signature-256']).toBe(`sha256=${mac}`);
    expect(req.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}\.\d+$/);
    expect(JSON.parse(req.body)).toMatchObject({ action, target: { repository: 'ns/app', digest } });
  };
  const expectForm = (req: Received, type: string) => {
    expect(req.method).toBe('GET');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.headers['authorization']).toBeUndefined();
    const params = new URLSearchParams(req.body);
    expect(params.get('specversion')).toBe('1.0');
    expect(params.get('type')).toBe(type);
    expect(params.get('data[target][repository]')).toBe('ns/app');
  };

  it('a skopeo push sends exactly one delivery per matching enabled webhook, none to the disabled or filtered', async () => {
    const image = join(dir, 'image');
    digest = ociLayout(image, 'v1').digest;
    const push = await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', CREDS, `oci:${image}:v1`, ref('v1')]);
    expect(push).toMatchObject({ status: 0 });
    await settled(() => receiver.got.length >= 1 && other.got.length >= 1);
    expect(receiver.got).toHaveLength(1); // neither `?off` nor `?filtered`
    expect(other.got).toHaveLength(1);
    expectCi(receiver.got[0], 'push');
    expect(JSON.parse(receiver.got[0].body)).toMatchObject({ target: { tag: 'v1' }, actor: { name: 'alice' } });
    expectForm(other.got[0], 'io.portcullis.image.pushed');
  });

  it('pulls (skopeo inspect and a copy out) send nothing; a skopeo delete sends exactly one delivery per webhook', async () => {
    const inspect = await skopeo(['inspect', '--tls-verify=false', '--creds', CREDS, ref('v1')]);
    expect(inspect.status).toBe(0);
    const copyOut = await skopeo([
      'copy',
      '--src-tls-verify=false',
      '--src-creds',
      CREDS,
      ref('v1'),
      `oci:${join(dir, 'out')}:v1`,
    ]);
    expect(copyOut.status).toBe(0);
    // The pulls are events in the store before the delete's: the dispatcher reads them first, so a delivery
    // for a pull would arrive before the delete's.
    await api.app.get(PullRecorder).flush();
    const del = await skopeo(['delete', '--tls-verify=false', '--creds', CREDS, ref('v1')]);
    expect(del).toMatchObject({ status: 0 });
    await settled(() => receiver.got.length >= 2 && other.got.length >= 2);
    expect(receiver.got).toHaveLength(2);
    expect(other.got).toHaveLength(2);
    expectCi(receiver.got[1], 'delete');
    expectForm(other.got[1], 'io.portcullis.tag.deleted');
    expect(receiver.got[1].headers['idempotency-key']).not.toBe(receiver.got[0].headers['idempotency-key']);
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { NatsJetStreamBus } from '@portcullis/persistence';
import { WEBHOOK_DELIVERIES, type WebhookDeliveryDoc } from '@portcullis/read-models';
import { startApi, type TestApi } from '../testing/harness';
import { ReadSide } from '../platform/read-side';
import { NotificationSecrets } from '../registry-events/notification-secrets';
import { Receiver, eventually, fastWebhookEnv, notification } from '../testing/webhook-receiver';

// The dispatcher runs as a child process on the api's data dir; it is killed with SIGKILL while a request is
// at the receiver, restarted, and every event must still be delivered (duplicates only with one Idempotency-Key).
const natsUrl = process.env['NATS_URL'];
const modes: Array<[string, Record<string, string>]> = [['embedded', {}]];
if (natsUrl) modes.push(['NATS JetStream', { PORTCULLIS_NATS_URL: natsUrl }]);
else process.stdout.write('dispatcher-crash.e2e: NATS_URL not set, the NATS mode is skipped\n');
jest.setTimeout(120_000);

const ROOT = join(__dirname, '../../../..');
const CHILD = `
  require('ts-node').register({ transpileOnly: true, project: ${JSON.stringify(join(ROOT, 'apps/api/tsconfig.app.json'))},
    compilerOptions: { module: 'commonjs' } });
  const base = require(${JSON.stringify(join(ROOT, 'tsconfig.base.json'))}).compilerOptions;
  require('tsconfig-paths').register({ baseUrl: ${JSON.stringify(ROOT)}, paths: base.paths });
  require('reflect-metadata');
  const { loadConfig } = require(${JSON.stringify(join(__dirname, '../../../../libs/config/src/load-config.ts'))});
  const { runDispatcherProcess } = require(${JSON.stringify(join(__dirname, 'dispatcher-process.ts'))});
  runDispatcherProcess(loadConfig(process.env)).then(() => process.stdout.write('dispatcher ready\\n'),
    (e) => { console.error(e); process.exit(1); });
`;

describe.each(modes)('dispatcher killed -9 mid-delivery (%s)', (_mode, modeEnv) => {
  let api: TestApi;
  let receiver: Receiver;
  let child: ChildProcess | null = null;
  let env: Record<string, string>;
  const stream = `CRASH_${randomUUID().replace(/-/g, '')}`;

  const startDispatcher = async () => {
    const proc = spawn(process.execPath, ['-e', CHILD], {
      cwd: ROOT,
      env: { ...process.env, ...env, PORTCULLIS_DATA_DIR: api.dataDir, PORTCULLIS_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    await eventually(() => out.includes('dispatcher ready') || proc.exitCode !== null, 60_000);
    if (proc.exitCode !== null) throw new Error(`dispatcher exited: ${out}`);
    child = proc;
  };

  beforeAll(async () => {
    receiver = new Receiver();
    await receiver.start();
    // A short request timeout keeps the ack wait (what a killed member holds a message for) at 5 s.
    env = {
      ...fastWebhookEnv,
      ...modeEnv,
      PORTCULLIS_WEBHOOKS_NATS_STREAM: stream,
      PORTCULLIS_WEBHOOKS_TIMEOUT_MS: '1000',
    };
    // The api publishes (NATS) and projects; only the child dispatches.
    api = await startApi({ ...env, PORTCULLIS_WEBHOOKS_DISPATCHER_ENABLED: 'false' });
    const alice = await api.user('alice');
    await api.http.post('/api/v1/teams').set('Portus-Auth', alice.auth).send({ name: 'devs' }).expect(201);
    const ns = (
      await api.http.post('/api/v1/namespaces').set('Portus-Auth', alice.auth).send({ name: 'ns', team: 'devs' })
    ).body.id;
    await api.http
      .post(`/api/v1/namespaces/${ns}/webhooks`)
      .set('Portus-Auth', alice.auth)
      .send({ webhook: { name: 'ci', url: receiver.url } })
      .expect(201);
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await api.close();
    await receiver.stop();
    if (modeEnv['PORTCULLIS_NATS_URL'] && natsUrl) {
      const admin = await NatsJetStreamBus.connect({ url: natsUrl, stream });
      await admin.deleteStream();
      await admin.close();
    }
  });

  it('loses no event: after a restart every push is delivered, a re-send carries the same Idempotency-Key', async () => {
    await startDispatcher();
    const [registry] = (await api.http.get('/api/v1/registries').set('Portus-Auth', api.admin)).body;
    const authorization = api.app.get(NotificationSecrets).authorizationFor(registry.id);
    const notify = (tag: string) =>
      api.http
        .post('/v2/webhooks/events')
        .set('Content-Type', 'application/vnd.docker.distribution.events.v1+json')
        .set('Authorization', authorization)
        .send(JSON.stringify(notification('push-manifest', 'ns/app', tag)))
        .expect((r) => expect(r.status).toBeLessThan(300));

    receiver.hold = true;
    await notify('v1');
    await notify('v2');
    await eventually(() => receiver.pending >= 1, 30_000);
    child?.kill('SIGKILL');
    await eventually(() => child?.exitCode !== null || child?.signalCode !== null);
    receiver.hold = false;
    receiver.release();

    await startDispatcher();
    const deliveries = api.app.get(ReadSide).store.collection<WebhookDeliveryDoc>(WEBHOOK_DELIVERIES);
    const done = await eventually(async () => {
      const all = await deliveries.find({});
      return all.length === 2 && all.every((d) => d.state === 'delivered') && all;
    }, 60_000);
    const keys = done.map((d) => d.idempotency_key).sort();
    const received = receiver.got.map((r) => String(r.headers['idempotency-key']));
    // Every event arrived; anything that arrived twice arrived with the key the receiver dedupes on.
    expect([...new Set(received)].sort()).toEqual(keys);
    expect(received.every((k) => keys.includes(k))).toBe(true);
    expect(new Set(receiver.got.map((r) => JSON.parse(r.body).target.tag))).toEqual(new Set(['v1', 'v2']));
  });
});

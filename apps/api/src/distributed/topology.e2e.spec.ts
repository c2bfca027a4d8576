import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { MongoClient } from 'mongodb';
import { NatsJetStreamBus } from '@portcullis/persistence';
import {
  freePort,
  ociLayout,
  realRegistryAvailable,
  skopeo,
  startRegistry,
  type RunningRegistry,
} from '../testing/real-registry';
import { startProcess, withDatabase, type PortcullisProcess } from '../testing/processes';
import { Receiver, eventually, fastWebhookEnv } from '../testing/webhook-receiver';

// Issue 7's topology as plain processes: two api instances, one projector and one webhook dispatcher, each its
// own process on its own 127.0.0.1 port, sharing the stores — the event store a SQLite WAL file in one data dir
// (EventStoreDB when EVENTSTORE_URL is set), the read models on the MongoDB wire (FerretDB from `npm test`, via
// MONGODB_URL; a shared SQLite file without it), the webhook bus on the test run's nats-server (NATS_URL).
// Debian's docker-registry points its token realm and notifications at instance A; clients also use B.
const mongoUrl = process.env['MONGODB_URL'];
const natsUrl = process.env['NATS_URL'];
const eventStoreUrl = process.env['EVENTSTORE_URL'];
if (!realRegistryAvailable) process.stdout.write('topology.e2e: docker-registry or skopeo missing, skipped\n');
if (!mongoUrl) process.stdout.write('topology.e2e: MONGODB_URL not set, read models in a shared SQLite file\n');
if (!natsUrl) process.stdout.write('topology.e2e: NATS_URL not set, the dispatcher follows the event store\n');
const suite = realRegistryAvailable ? describe : describe.skip;
jest.setTimeout(300_000);

const PASSWORD = 'password1234';
const basic = (user: string) => `Basic ${Buffer.from(`${user}:${PASSWORD}`).toString('base64')}`;
interface Access {
  type: string;
  name: string;
  actions: string[];
}

suite('two api instances, projector and dispatcher as processes on shared stores', () => {
  const database = `portcullis_topology_${randomBytes(4).toString('hex')}`;
  const stream = `TOPO_${randomUUID().replace(/-/g, '')}`;
  const procs: PortcullisProcess[] = [];
  let dir: string;
  let registry: RunningRegistry | null = null;
  let receiver: Receiver;
  let urlA: string;
  let urlB: string;
  let addr: string;
  let dispatcherMetrics: string;
  let admin: string;
  let teamId: number;
  let bobId: number;
  let nsId: number;

  const call = async (base: string, method: string, path: string, body?: unknown, auth = admin) => {
    const res = await fetch(base + path, {
      method,
      headers: { 'Portus-Auth': auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path} on ${base}: ${res.status} ${text}`);
    return { body: text ? JSON.parse(text) : null, position: res.headers.get('portcullis-position') };
  };
  const grants = async (base: string, user: string | null, minPosition?: string | null) => {
    const q = new URLSearchParams({ service: addr, scope: 'repository:ns/app:pull,push' });
    const res = await fetch(`${base}/v2/token?${q.toString()}`, {
      headers: {
        ...(user ? { Authorization: basic(user) } : {}),
        ...(minPosition ? { 'Portcullis-Min-Position': minPosition } : {}),
      },
    });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    return ((decodeJwt(token).access ?? []) as Access[]).flatMap((a) => a.actions).sort();
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-topology-'));
    receiver = new Receiver();
    await receiver.start();
    const [portA, portB] = [await freePort(), await freePort()];
    addr = `127.0.0.1:${await freePort()}`;
    urlA = `http://127.0.0.1:${portA}`;
    urlB = `http://127.0.0.1:${portB}`;
    const shared = {
      ...fastWebhookEnv,
      PORTCULLIS_DATA_DIR: join(dir, 'data'),
      PORTCULLIS_HOST: '127.0.0.1',
      PORTCULLIS_EVENTSTORE_URL: eventStoreUrl ?? '',
      PORTCULLIS_MONGODB_URL: mongoUrl ? withDatabase(mongoUrl, database) : '',
      PORTCULLIS_NATS_URL: natsUrl ?? '',
      PORTCULLIS_WEBHOOKS_NATS_STREAM: stream,
      PORTCULLIS_BACKGROUND_SYNC_ENABLED: 'false',
      PORTCULLIS_LOG_LEVEL: 'warn',
      PORTCULLIS_PROJECTOR_LEASE_MS: '2000',
      PORTCULLIS_PROJECTOR_LEASE_RENEW_MS: '400',
    };
    // The api instances never dispatch: one dispatcher process does (with NATS any number could).
    const api = { ...shared, PORTCULLIS_WEBHOOKS_DISPATCHER_ENABLED: 'false', PORTCULLIS_PROJECTOR_EMBEDDED: 'false' };
    const projector = startProcess('projector', shared);
    procs.push(projector);
    // A first, alone: it creates the data dir's keys (token signing, notification and webhook secrets) B reads.
    const a = startProcess('api', { ...api, PORTCULLIS_PORT: String(portA) }, 'api-a');
    procs.push(a);
    await a.waitFor(/api ready/, 180_000);
    const b = startProcess('api', { ...api, PORTCULLIS_PORT: String(portB) }, 'api-b');
    dispatcherMetrics = `http://127.0.0.1:${await freePort()}/metrics`;
    const dispatcher = startProcess('dispatcher', {
      ...shared,
      PORTCULLIS_WEBHOOKS_DISPATCHER_METRICS_PORT: new URL(dispatcherMetrics).port,
    });
    procs.push(b, dispatcher);
    await Promise.all([
      b.waitFor(/api ready/, 180_000),
      dispatcher.waitFor(/dispatcher ready/, 180_000),
      projector.waitFor(/leading \(epoch 1\)/, 180_000),
    ]);

    const boot = await fetch(`${urlA}/api/v1/users/bootstrap`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: { username: 'admin', email: 'admin@example.com', password: PASSWORD } }),
    });
    expect(boot.status).toBe(201);
    admin = `admin:${((await boot.json()) as { plain_token: string }).plain_token}`;
    const reg = await call(urlA, 'POST', '/api/v1/registries', {
      registry: { name: 'main', hostname: addr, use_ssl: false },
      force: true,
    });
    const q = new URLSearchParams({
      portcullis_url: urlA,
      listen: addr,
      storage: join(dir, 'storage'),
      bundle_path: join(dir, 'portcullis-bundle.crt'),
    });
    const config = await call(urlA, 'GET', `/api/v1/registries/${reg.body.id}/config?${q.toString()}`);
    writeFileSync(join(dir, 'config.yml'), config.body.files['config.yml'], { mode: 0o600 });
    writeFileSync(join(dir, 'portcullis-bundle.crt'), config.body.files['portcullis-bundle.crt']);
    registry = await startRegistry(join(dir, 'config.yml'), addr);

    bobId = (
      await call(urlA, 'POST', '/api/v1/users', {
        user: { username: 'bob', email: 'bob@example.com', password: PASSWORD },
      })
    ).body.id;
    teamId = (await call(urlA, 'POST', '/api/v1/teams', { name: 'devs' })).body.id;
    nsId = (await call(urlA, 'POST', '/api/v1/namespaces', { name: 'ns', team: 'devs' })).body.id;
    await call(urlA, 'POST', `/api/v1/namespaces/${nsId}/webhooks`, {
      webhook: { name: 'ci', url: receiver.url },
    });
  });

  afterAll(async () => {
    // Each step bounded: a hung clean-up must say which step hung rather than time the suite out.
    const step = async (name: string, work: () => Promise<unknown>) => {
      let timer: NodeJS.Timeout | undefined;
      const started = Date.now();
      await Promise.race([
        work(),
        new Promise((r) => (timer = setTimeout(r, 20_000))).then(() =>
          process.stdout.write(`topology.e2e: clean-up step "${name}" still running after 20 s, left behind\n`),
        ),
      ]).finally(() => clearTimeout(timer));
      if (process.env['PORTCULLIS_TEST_VERBOSE']) process.stderr.write(`${name}: ${Date.now() - started} ms\n`);
    };
    await step('registry', async () => registry?.stop());
    // A registry that did not stop on SIGTERM within the step is killed, never left running.
    if (registry && registry.process.exitCode === null && registry.process.signalCode === null) {
      registry.process.kill('SIGKILL');
    }
    for (const p of procs.reverse()) await step(p.kind, () => p.kill('SIGTERM'));
    await step('receiver', async () => receiver?.stop());
    if (mongoUrl) {
      const client = new MongoClient(mongoUrl);
      await step('mongo', () =>
        client
          .db(database)
          .dropDatabase()
          .finally(() => client.close()),
      );
    }
    if (natsUrl) {
      await step('nats', async () => {
        const bus = await NatsJetStreamBus.connect({ url: natsUrl, stream });
        await bus.deleteStream().finally(() => bus.close());
      });
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a permission change made on A is honoured at once by a token from B given the position A answered with', async () => {
    const added = await call(urlA, 'POST', `/api/v1/teams/${teamId}/members`, { user: 'bob', role: 'contributor' });
    expect(added.position).toMatch(/^\d+$/);
    expect(await grants(urlB, 'bob', added.position)).toEqual(['pull', 'push']);

    const removed = await call(urlA, 'DELETE', `/api/v1/teams/${teamId}/members/${bobId}`);
    expect(removed.position).toMatch(/^\d+$/);
    // The very next request, to the other instance: B's ACL index waits for that position before deciding.
    expect(await grants(urlB, 'bob', removed.position)).toEqual([]);
    expect(await grants(urlA, 'bob')).toEqual([]);
  });

  it('a namespace made public, then private again, on A is what B grants anonymous clients at that position', async () => {
    const visibility = (value: string) =>
      call(urlA, 'PUT', `/api/v1/namespaces/${nsId}`, { namespace: { visibility: value } });
    const opened = await visibility('public');
    expect(await grants(urlB, null, opened.position)).toEqual(['pull']);
    const closed = await visibility('private');
    expect(await grants(urlB, null, closed.position)).toEqual([]);
  });

  it('a push through the registry (realm on A) lands as a tag both instances show, and fires the webhook once', async () => {
    const image = join(dir, 'image');
    const { digest } = ociLayout(image, 'v1');
    const push = await skopeo([
      'copy',
      '--dest-tls-verify=false',
      '--dest-creds',
      `admin:${PASSWORD}`,
      `oci:${image}:v1`,
      `docker://${addr}/ns/app:v1`,
    ]);
    expect(push).toMatchObject({ status: 0 });

    for (const base of [urlA, urlB]) {
      const tags = await eventually(async () => {
        const repos = (await call(base, 'GET', '/api/v1/repositories')).body as Array<{
          id: number;
          full_name: string;
        }>;
        const repo = repos.find((r) => r.full_name === 'ns/app');
        if (!repo) return null;
        const list = (await call(base, 'GET', `/api/v1/repositories/${repo.id}/tags`)).body as Array<{
          name: string;
          digest: string;
        }>;
        return list.length > 0 && list;
      }, 30_000);
      expect(tags.map((t) => [t.name, t.digest])).toEqual([['v1', digest]]);
    }

    await eventually(() => receiver.got.length >= 1, 30_000);
    // Long enough for a doubled delivery (a second publisher, a second dispatcher) to show up.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(receiver.got).toHaveLength(1);
    expect(JSON.parse(receiver.got[0].body)).toMatchObject({
      action: 'push',
      target: { repository: 'ns/app', tag: 'v1', digest },
    });
    // The stand-alone dispatcher counts what it delivered on its own /metrics (the apis never dispatched).
    const scraped = await (await fetch(dispatcherMetrics)).text();
    expect(scraped).toMatch(/^portcullis_webhook_deliveries_total\{outcome="delivered"\} 1$/m);
    expect(scraped).toMatch(/^portcullis_event_store_append_duration_seconds_count\{outcome="ok"\} [1-9]/m);
  });
});

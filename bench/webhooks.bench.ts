/**
 * webhooks benchmark: latency from a registry notification (POST /v2/webhooks/events with the registry's
 * secret and a recorded distribution 2.8 push event, as the registry sends it) to receipt at a real HTTP
 * receiver, at `rate` events/s for `seconds`, p50/p99. Both modes in the same run, each with its own api
 * on a fresh data dir: embedded (in-process bus fed by the event store) and NATS JetStream (a nats-server
 * started here by tools/nats/start.sh on a free port and stopped by its PID). The webhook is a realistic
 * one: POST JSON, basic auth, a custom header and an HMAC signature; the SSRF allow-list names 127.0.0.1,
 * the receiver's address. The sender and the receiver run in one child process
 * (bench/lib/webhook-load-client.ts): one clock, and their CPU is not the api's. Target: p99 < 250 ms.
 * Extra, same run: both modes again at a light load (`--light-rate`, 20/s), the latency of the path itself.
 * Usage: npm run bench -- webhooks [--seconds 10] [--rate 100] [--repositories 100] [--light-rate 20]
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from '../apps/api/src/app/create-app';
import { loadConfig } from '@portcullis/config';
import { NotificationSecrets } from '../apps/api/src/registry-events/notification-secrets';
import { freePort } from '../apps/api/src/testing/real-registry';
import { notification } from '../apps/api/src/testing/webhook-receiver';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 10);
const RATE = arg('rate', 100);
// Pushes spread over repositories, as a registry's traffic is: every push to one repository re-reads and
// appends to that repository's stream, so 100/s into a single one measures that stream's contention
// (see the result's note), not webhook delivery.
const REPOSITORIES = arg('repositories', 100);
// Extra, same run: a light load shows the latency of the path itself when the api is not saturated.
const LIGHT_RATE = arg('light-rate', 20);
const TARGET_P99_MS = 250;
const root = resolve(__dirname, '..');

interface Figures {
  events: number;
  sent_per_s: number;
  delivered: number;
  lost: number;
  duplicates: number;
  p50_ms: number | null;
  p90_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
  notification_answer_p50_ms: number | null;
  notification_answer_p99_ms: number | null;
  after_answer_p50_ms: number | null;
  after_answer_p99_ms: number | null;
}

/** call is a JSON request to the api, failing loudly on an unexpected status. */
async function call(base: string, method: string, path: string, auth: string | null, body?: unknown, expect = 0) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(auth ? { 'portus-auth': auth } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (expect && res.status !== expect) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** startNats runs tools/nats/start.sh on a free port (it refuses busy ones, so a race just tries again). */
function startNats(dir: string): Promise<string> {
  const attempt = async (left: number): Promise<string> => {
    const port = await freePort();
    try {
      execFileSync('bash', [join(root, 'tools/nats/start.sh'), String(port), dir], { stdio: 'pipe' });
      return `nats://127.0.0.1:${port}`;
    } catch (e) {
      if (left <= 1) throw e;
      return attempt(left - 1);
    }
  };
  return attempt(5);
}

/** drive runs the sender + receiver child against the api and resolves with its figures. */
function drive(spec: Record<string, unknown>): Promise<Figures> {
  const client = resolve(__dirname, 'lib', 'webhook-load-client.ts');
  return new Promise((done, fail) =>
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', client, JSON.stringify(spec)],
      { cwd: root, env: process.env, timeout: (SECONDS + 180) * 1000 },
      (err, out, errOut) =>
        err ? fail(new Error(`load client: ${err.message} ${errOut}`)) : done(JSON.parse(out) as Figures),
    ),
  );
}

/** measure starts an api in `mode`, wires a webhook to the child's receiver and drives the load. */
async function measure(modeEnv: Record<string, string>, rate: number): Promise<Figures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-bench-webhooks-'));
  const app = await createApp(
    loadConfig({
      PORTCULLIS_DATA_DIR: dataDir,
      PORTCULLIS_LOG_LEVEL: 'silent',
      PORTCULLIS_PROJECTOR_EMBEDDED: 'true',
      // The receiver listens on loopback, which the SSRF guard refuses unless it is allow-listed.
      PORTCULLIS_WEBHOOKS_ALLOWED_HOSTS: '127.0.0.1',
      // Nothing but the notifications should compete for the api's CPU.
      PORTCULLIS_BACKGROUND_SYNC_ENABLED: 'false',
      ...modeEnv,
    }),
  );
  try {
    await app.listen(0, '127.0.0.1');
    const apiPort = (app.getHttpServer().address() as AddressInfo).port;
    const base = `http://127.0.0.1:${apiPort}/api/v1`;
    const user = { username: 'admin', email: 'admin@example.com', password: 'password1234' };
    const admin = `admin:${(await call(base, 'POST', '/users/bootstrap', null, { user }, 201)).plain_token}`;
    const registry = await call(
      base,
      'POST',
      '/registries',
      admin,
      { registry: { name: 'main', hostname: 'registry.test:5000', use_ssl: false }, force: true },
      201,
    );
    await call(base, 'POST', '/teams', admin, { name: 'devs' }, 201);
    const ns = await call(base, 'POST', '/namespaces', admin, { name: 'ns', team: 'devs' }, 201);
    const receiverPort = await freePort();
    const webhook = {
      name: 'ci',
      url: `http://127.0.0.1:${receiverPort}/hook`,
      username: 'hook',
      password: 'hunter2-password',
      secret: 'signing-secret',
      repositories: ['ns/*'],
    };
    const hook = await call(base, 'POST', `/namespaces/${ns.id}/webhooks`, admin, { webhook }, 201);
    await call(
      base,
      'POST',
      `/namespaces/${ns.id}/webhooks/${hook.id}/headers`,
      admin,
      { webhook_header: { name: 'X-Token', value: 'header-secret' } },
      201,
    );
    return await drive({
      apiPort,
      receiverPort,
      authorization: app.get(NotificationSecrets).authorizationFor(registry.id),
      envelope: notification('push-manifest', 'ns/app'),
      repositories: REPOSITORIES,
      rate,
      seconds: SECONDS,
      warmup: 30,
      drainSeconds: 60,
    });
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const natsDir = mkdtempSync(join(tmpdir(), 'portcullis-bench-nats-'));
  try {
    const natsUrl = await startNats(natsDir);
    // The machine may be shared (other builds, other benches): its load goes into the result with the figures.
    const loadAtStart = loadavg()[0];
    // A stream per measurement, so one never sees another's messages or consumer state.
    let streams = 0;
    const natsEnv = () => ({ PORTCULLIS_NATS_URL: natsUrl, PORTCULLIS_WEBHOOKS_NATS_STREAM: `BENCH_${++streams}` });
    const embedded = await measure({}, RATE);
    const nats = await measure(natsEnv(), RATE);
    const light = {
      rate_per_s: LIGHT_RATE,
      embedded: await measure({}, LIGHT_RATE),
      nats: await measure(natsEnv(), LIGHT_RATE),
    };
    const verdict = (f: Figures) => f.lost === 0 && f.p99_ms !== null && f.p99_ms < TARGET_P99_MS;
    const result = {
      benchmark: 'webhooks',
      date: new Date().toISOString(),
      machine: {
        node: process.version,
        cpus: cpus().length,
        load_average_1m: { at_start: +loadAtStart.toFixed(2), at_end: +loadavg()[0].toFixed(2) },
      },
      load: {
        rate_per_s: RATE,
        repositories: REPOSITORIES,
        seconds: SECONDS,
        notification: 'POST /v2/webhooks/events, one push event per request (recorded distribution 2.8 fixture)',
        webhook: 'POST JSON, basic auth, custom header, HMAC-SHA256 signature, portus format',
        client: 'bench/lib/webhook-load-client.ts in a child process: open-loop sender + HTTP receiver, one clock',
        latency: 'notification sent → webhook request body received (p*_ms); after_answer_*: api answered → received',
      },
      embedded,
      nats,
      target_p99_ms: TARGET_P99_MS,
      meets_target: { embedded: verdict(embedded), nats: verdict(nats) },
      extra_light_load: light,
    };
    const out = resolve(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'webhooks.json'), JSON.stringify(result, null, 2) + '\n');
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } finally {
    // stop.sh kills the nats-server by the PID start.sh recorded, never by name.
    execFileSync('bash', [join(root, 'tools/nats/stop.sh'), natsDir], { stdio: 'ignore' });
    rmSync(natsDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});

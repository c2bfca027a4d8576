/**
 * scale benchmark (issue 7): the distributed topology as processes on one machine — a projector process and two
 * api processes (ts-node, as the multi-process test runs them) on one data dir (SQLite WAL event store and read
 * models; the read models on MongoDB when MONGODB_URL is set).
 *
 * 1. Token requests/s with one vs two api instances, same run: `GET /v2/token` (application token, 3 scopes, as
 *    bench/token) driven by two copies of the same child-process load client (bench/lib/http-load-client.mjs),
 *    both at instance A ("one instance") or one at A and one at B ("two instances"); rounds alternate so drift
 *    hits both. On a 2-core machine the two instances, the projector and both clients share the same CPUs: the
 *    ratio shows what a second replica buys here, not on separate machines.
 * 2. Projection lag under 200 events/s: events appended at a steady 200/s for `--lag-seconds` (default 20); per
 *    event, the time from its append returning to every projection's checkpoint in the shared read store passing
 *    it (what read-your-writes waits for), polled every 2 ms. Baseline in the same run: a bare catch-up
 *    subscription on the same event store in the appending process (the delivery floor; SQLite subscriptions poll
 *    every 25 ms).
 * Usage: npm run bench -- scale [--seconds 4] [--concurrency 8] [--rounds 3] [--lag-seconds 20] [--rate 200]
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MongoClient } from 'mongodb';
import type { NewEvent, ReadStore } from '@portcullis/persistence';
import { createEventStore, createReadStore } from '@portcullis/persistence';
import { allProjections } from '@portcullis/read-models';
import { freePort } from '../apps/api/src/testing/real-registry';
import { startProcess, withDatabase, type PortcullisProcess } from '../apps/api/src/testing/processes';
import { arg, driveInChild, type Figures } from './lib/load';

const SECONDS = arg('seconds', 4);
const CONCURRENCY = arg('concurrency', 8);
const ROUNDS = arg('rounds', 3);
const LAG_SECONDS = arg('lag-seconds', 20);
const RATE = arg('rate', 200);
const SERVICE = 'registry.test:5000';
const SCOPES = ['repository:devs/app:pull,push', 'repository:pub/lib:pull', 'repository:busybox:pull'];

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

/** quantiles of a list of milliseconds. */
function quantiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => +sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2);
  return { events: sorted.length, p50_ms: at(0.5), p90_ms: at(0.9), p99_ms: at(0.99), max_ms: at(1) };
}

/** sum adds the figures of clients that ran at the same time: throughput adds up, latency is the worse. */
function sum(parts: Figures[]): Figures {
  return {
    tokens_per_s: parts.reduce((a, p) => a + p.tokens_per_s, 0),
    p50_ms: Math.max(...parts.map((p) => p.p50_ms)),
    p99_ms: Math.max(...parts.map((p) => p.p99_ms)),
    tokens: parts.reduce((a, p) => a + p.tokens, 0),
  };
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const registered = (id: number): NewEvent => ({
  type: 'UserRegistered',
  data: {
    id,
    username: `lag${id}`,
    email: null,
    displayName: null,
    passwordHash: 'h',
    admin: false,
    bot: false,
    at: new Date().toISOString(),
  },
  metadata: { actor: null },
});

async function minCheckpoint(reads: ReadStore): Promise<bigint | null> {
  let min: bigint | null = null;
  for (const p of allProjections) {
    const cp = await reads.getCheckpoint(p.name);
    if (cp === null) return null;
    if (min === null || cp < min) min = cp;
  }
  return min;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-bench-scale-'));
  const mongoUrl = process.env['MONGODB_URL'];
  const database = `portcullis_bench_scale_${randomBytes(4).toString('hex')}`;
  const env = {
    PORTCULLIS_DATA_DIR: dataDir,
    PORTCULLIS_LOG_LEVEL: 'warn',
    PORTCULLIS_MONGODB_URL: mongoUrl ? withDatabase(mongoUrl, database) : '',
    PORTCULLIS_EVENTSTORE_URL: '',
    PORTCULLIS_NATS_URL: '',
    PORTCULLIS_PROJECTOR_EMBEDDED: 'false',
    PORTCULLIS_BACKGROUND_SYNC_ENABLED: 'false',
    // One client IP asking as fast as it can: the per-IP rate limit would measure itself.
    PORTCULLIS_RATE_LIMIT_TOKEN_PER_MINUTE: '0',
  };
  const procs: PortcullisProcess[] = [];
  const [portA, portB] = [await freePort(), await freePort()];
  const events = createEventStore({ dataDir });
  let reads: ReadStore | null = null;
  try {
    const projector = startProcess('projector', env);
    procs.push(projector);
    const a = startProcess('api', { ...env, PORTCULLIS_PORT: String(portA) }, 'api-a');
    procs.push(a);
    await a.waitFor(/api ready/, 240_000);
    const b = startProcess('api', { ...env, PORTCULLIS_PORT: String(portB) }, 'api-b');
    procs.push(b);
    await Promise.all([b.waitFor(/api ready/, 240_000), projector.waitFor(/leading \(epoch 1\)/, 240_000)]);
    reads = await createReadStore({ dataDir, mongodbUrl: env.PORTCULLIS_MONGODB_URL || undefined });

    // The token bench's world, built over HTTP on A: cora is a bot (admins create bots' tokens) in team devs.
    const base = `http://127.0.0.1:${portA}/api/v1`;
    const user = { username: 'admin', email: 'admin@example.com', password: 'password1234' };
    const admin = `admin:${(await call(base, 'POST', '/users/bootstrap', null, { user }, 201)).plain_token}`;
    await call(
      base,
      'POST',
      '/registries',
      admin,
      { registry: { name: 'main', hostname: SERVICE, use_ssl: false }, force: true },
      201,
    );
    const cora = await call(
      base,
      'POST',
      '/users',
      admin,
      { user: { username: 'cora', email: 'cora@example.com', password: 'password1234', bot: true } },
      201,
    );
    const token = await call(
      base,
      'POST',
      `/users/${cora.id}/application_tokens`,
      admin,
      { application: 'bench' },
      201,
    );
    const team = await call(base, 'POST', '/teams', admin, { name: 'devs' }, 201);
    await call(base, 'POST', `/teams/${team.id}/members`, admin, { user: 'cora', role: 'contributor' }, 201);
    for (const name of ['devs', 'pub']) await call(base, 'POST', '/namespaces', admin, { name, team: 'devs' }, 201);
    const pub = (await call(base, 'GET', '/namespaces?all=true', admin)).find(
      (n: { name: string }) => n.name === 'pub',
    );
    const last = await fetch(`${base}/namespaces/${pub.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'portus-auth': admin },
      body: JSON.stringify({ namespace: { visibility: 'public' } }),
    });
    const position = last.headers.get('portcullis-position') ?? '0';

    const authorization = `Basic ${Buffer.from(`cora:${token.plain_token}`).toString('base64')}`;
    const q = new URLSearchParams({ service: SERVICE, account: 'cora' });
    for (const sc of SCOPES) q.append('scope', sc);
    const path = `/v2/token?${q.toString()}`;
    // B must have seen everything A wrote before it is measured (the same header a client would send).
    for (const port of [portA, portB]) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        headers: { authorization, 'portcullis-min-position': position },
      });
      if (res.status !== 200) throw new Error(`warm-up token on ${port}: ${res.status}`);
    }
    const drive = (port: number) =>
      driveInChild({
        port,
        path,
        headers: { authorization },
        seconds: SECONDS,
        concurrency: CONCURRENCY / 2,
        warmup: 200,
        expectGrants: 3,
      });
    const one: Figures[] = [];
    const two: Figures[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      one.push(sum(await Promise.all([drive(portA), drive(portA)])));
      two.push(sum(await Promise.all([drive(portA), drive(portB)])));
    }
    const ratios = two.map((t, i) => +(t.tokens_per_s / one[i].tokens_per_s).toFixed(3));

    // Projection lag at RATE events/s.
    const appendedAt = new Map<bigint, number>();
    const visibleLag: number[] = [];
    const deliveredLag: number[] = [];
    const head = await events.headPosition();
    const subscription = events.subscribeToAll(
      { after: head < 0n ? undefined : head },
      {
        onEvent: async (e) => {
          const t = appendedAt.get(e.position);
          if (t !== undefined) deliveredLag.push(performance.now() - t);
        },
        onError: (e) => process.stderr.write(`subscription: ${String(e)}\n`),
      },
    );
    const pending: Array<[bigint, number]> = [];
    let appending = true;
    const watcher = (async () => {
      while (appending || pending.length > 0) {
        const cp = await minCheckpoint(reads as ReadStore);
        const now = performance.now();
        while (pending.length > 0 && cp !== null && pending[0][0] <= cp)
          visibleLag.push(now - (pending.shift() as [bigint, number])[1]);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const total = Math.round(LAG_SECONDS * RATE);
    const started = performance.now();
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const { position: p } = await events.append(`user-lag-${i}`, [registered(100_000 + i)], {
        expectedRevision: 'no_stream',
      });
      const t = performance.now();
      appendedAt.set(p, t);
      pending.push([p, t]);
    }
    const appendSeconds = (performance.now() - started) / 1000;
    appending = false;
    await watcher;
    await new Promise((r) => setTimeout(r, 500));
    await subscription.stop();
    const lag = quantiles(visibleLag);
    const floor = quantiles(deliveredLag);

    const result = {
      benchmark: 'scale',
      date: new Date().toISOString(),
      machine: { node: process.version, cpus: cpus().length, loadavg_at_end: loadavg().map((l) => +l.toFixed(2)) },
      stores: mongoUrl
        ? 'events: SQLite WAL file; read models: MongoDB wire (MONGODB_URL)'
        : 'events and read models: SQLite WAL files in one data dir',
      token: {
        request: {
          auth: 'application token (HTTP Basic)',
          scopes: SCOPES.join(' '),
          concurrency: CONCURRENCY,
          seconds: SECONDS,
          rounds: ROUNDS,
          client: 'two bench/lib/http-load-client.mjs child processes, each concurrency/2, keep-alive',
        },
        one_instance: sum(one.length ? [mean(one)] : []),
        two_instances: sum(two.length ? [mean(two)] : []),
        ratio_two_vs_one: +median(ratios).toFixed(3),
        ratio_per_round: ratios,
        rounds: { one_instance: one, two_instances: two },
        note: `the ${cpus().length} CPUs are shared by both api instances, the projector and both load clients: a second instance competes for the same cores, so this ratio is what a replica buys on one machine, not across machines`,
      },
      projection_lag: {
        rate_events_per_s: RATE,
        appended: total,
        achieved_rate_events_per_s: +(total / appendSeconds).toFixed(1),
        projector_read_models: lag,
        baseline_bare_subscription: floor,
        ratio_p99_vs_baseline: +(lag.p99_ms / floor.p99_ms).toFixed(3),
        note: 'per event: append returned → every projection checkpoint in the shared read store at or past it (polled every 2 ms); baseline: a catch-up subscription in the appending process on the same event store',
      },
    };
    const out = resolve(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'scale.json'), JSON.stringify(result, null, 2) + '\n');
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } finally {
    for (const p of procs.reverse()) await p.kill('SIGTERM');
    await reads?.close();
    await events.close();
    if (mongoUrl) {
      const client = new MongoClient(mongoUrl);
      await client
        .db(database)
        .dropDatabase()
        .finally(() => client.close());
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** mean averages rounds: tokens/s averaged, latencies as the worst round's. */
function mean(rounds: Figures[]): Figures {
  return {
    tokens_per_s: Math.round(rounds.reduce((a, r) => a + r.tokens_per_s, 0) / rounds.length),
    p50_ms: Math.max(...rounds.map((r) => r.p50_ms)),
    p99_ms: Math.max(...rounds.map((r) => r.p99_ms)),
    tokens: rounds.reduce((a, r) => a + r.tokens, 0),
  };
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});

/**
 * push benchmark: wall time of pushing then pulling 20 OCI images (built without Docker) with skopeo through
 * a docker-registry 2.8 that authenticates with Portcullis tokens and notifies Portcullis (the config
 * Portcullis generates, unedited), beside the same registry binary with no auth and no notifications, in the
 * same run. Both listen on 127.0.0.1 on free ports with their storage in temp dirs and are stopped by PID.
 * Rounds alternate which side goes first, with fresh images each round, so drift on a busy VM hits both.
 * The ratio is the median of the rounds' ratios (Portcullis side over the bare side of the same round; a burst
 * of load from other work on the machine lands in one round, not in the figure); the ratio of the totals is
 * reported beside it. Target: Portcullis side ≤ 1.10× the bare side. Also reported: how long after the last
 * push every image was visible in the Portcullis API (notifications → events → read models), and how many
 * token requests and registry notifications one image cost (from Portcullis's own /metrics counters).
 * Usage: npm run bench -- push [--images 20] [--rounds 4] [--layer-kib 256]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from '../apps/api/src/app/create-app';
import { loadConfig } from '../apps/api/src/config/load-config';
import {
  freePort,
  ociLayoutOf,
  realRegistryAvailable,
  skopeo,
  startRegistry,
  type RunningRegistry,
} from '../apps/api/src/testing/real-registry';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const IMAGES = arg('images', 20);
const ROUNDS = arg('rounds', 4);
const LAYER_KIB = arg('layer-kib', 256);
const PASSWORD = 'password1234';

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

interface Side {
  name: 'portcullis' | 'bare';
  addr: string;
  creds: string[];
  home: string;
}

/** timed runs skopeo once per image, one after another (as a CI job would), and returns the wall time. */
async function timed(images: number, argsOf: (i: number) => string[], home: string): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < images; i++) {
    const r = await skopeo(argsOf(i), home);
    if (r.status !== 0) throw new Error(`skopeo ${argsOf(i).join(' ')}: ${r.out}`);
  }
  return performance.now() - start;
}

async function main() {
  if (!realRegistryAvailable)
    throw new Error('docker-registry and skopeo are needed (apt-get install docker-registry skopeo)');
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-push-'));
  const config = loadConfig({
    PORTCULLIS_DATA_DIR: join(dir, 'data'),
    PORTCULLIS_LOG_LEVEL: 'silent',
    PORTCULLIS_PROJECTOR_EMBEDDED: 'true',
    PORTCULLIS_RATE_LIMIT_TOKEN_PER_MINUTE: '0',
    PORTCULLIS_BACKGROUND_SYNC_ENABLED: 'false',
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const apiPort = (app.getHttpServer().address() as AddressInfo).port;
  const base = `http://127.0.0.1:${apiPort}/api/v1`;
  const registries: RunningRegistry[] = [];
  try {
    const user = { username: 'admin', email: 'admin@example.com', password: PASSWORD };
    const admin = `admin:${(await call(base, 'POST', '/users/bootstrap', null, { user }, 201)).plain_token}`;

    // Portcullis side: the generated config, unedited.
    const authed = `127.0.0.1:${await freePort()}`;
    const registry = { name: 'main', hostname: authed, use_ssl: false };
    const reg = await call(base, 'POST', '/registries', admin, { registry, force: true }, 201);
    const authedDir = join(dir, 'authed');
    mkdirSync(authedDir);
    const q = new URLSearchParams({
      portcullis_url: `http://127.0.0.1:${apiPort}`,
      listen: authed,
      storage: join(authedDir, 'storage'),
      bundle_path: join(authedDir, 'portcullis-bundle.crt'),
    });
    const generated = await call(base, 'GET', `/registries/${reg.id}/config?${q.toString()}`, admin, undefined, 200);
    writeFileSync(join(authedDir, 'config.yml'), generated.files['config.yml'], { mode: 0o600 });
    writeFileSync(join(authedDir, 'portcullis-bundle.crt'), generated.files['portcullis-bundle.crt']);
    registries.push(await startRegistry(join(authedDir, 'config.yml'), authed));

    // Bare side: the same binary and storage driver, no auth, no notifications.
    const bare = `127.0.0.1:${await freePort()}`;
    const bareDir = join(dir, 'bare');
    mkdirSync(bareDir);
    writeFileSync(
      join(bareDir, 'config.yml'),
      [
        'version: 0.1',
        'log:',
        '  level: info',
        'storage:',
        '  filesystem:',
        `    rootdirectory: ${join(bareDir, 'storage')}`,
        '  delete:',
        '    enabled: true',
        'http:',
        `  addr: ${bare}`,
        '',
      ].join('\n'),
    );
    registries.push(await startRegistry(join(bareDir, 'config.yml'), bare));

    const sides: Side[] = [
      { name: 'portcullis', addr: authed, creds: ['admin', PASSWORD], home: join(dir, 'home-portcullis') },
      { name: 'bare', addr: bare, creds: [], home: join(dir, 'home-bare') },
    ];
    for (const s of sides) mkdirSync(s.home);
    const totals = { portcullis: { push: 0, pull: 0 }, bare: { push: 0, pull: 0 } };
    const perRound: Array<{ portcullis: number; bare: number; ratio: number }> = [];
    const tokenRequests = { push: 0, pull: 0 };
    // The token decisions counter and the notification route's request count, summed over their labels.
    const counted = async () => {
      const text = await (await fetch(`http://127.0.0.1:${apiPort}/metrics`)).text();
      const sum = (re: RegExp) =>
        text
          .split('\n')
          .filter((l) => re.test(l))
          .reduce((a, l) => a + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
      return {
        tokens: sum(/^portcullis_token_decisions_total\{/),
        notifications: sum(/^portcullis_http_request_duration_seconds_count\{.*route="\/v2\/webhooks\/events"/),
      };
    };
    const notifications = { push: 0, pull: 0 };
    // CPU of this process per phase: the api (token requests, notification ingestion, projections) plus the
    // bench's own skopeo spawning, which is the same on the bare side; the difference is what Portcullis adds.
    const processCpuMs = { portcullis: { push: 0, pull: 0 }, bare: { push: 0, pull: 0 } };
    const cpuMs = (since: NodeJS.CpuUsage) => {
      const used = process.cpuUsage(since);
      return (used.user + used.system) / 1000;
    };
    const visibleMs: number[] = [];
    const repoCount = async () =>
      ((await call(base, 'GET', '/repositories?all=true', admin, undefined, 200)) as unknown[]).length;

    for (let round = 0; round < ROUNDS; round++) {
      const layout = join(dir, `layout-${round}`);
      const tags = Array.from({ length: IMAGES }, (_, i) => `img${i}`);
      ociLayoutOf(layout, tags, { layerBytes: LAYER_KIB * 1024 });
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      const roundMs = { portcullis: 0, bare: 0 };
      for (const side of order) {
        const before = side.name === 'portcullis' ? await repoCount() : 0;
        const countedBefore = side.name === 'portcullis' ? await counted() : null;
        const creds = (flag: string) => (side.creds.length ? [`--${flag}`, side.creds.join(':')] : []);
        // Repositories in admin's personal namespace, the same paths on both sides.
        const repo = (i: number) => `docker://${side.addr}/admin/r${round}-img${i}:v1`;
        const cpuAtPush = process.cpuUsage();
        const push = await timed(
          IMAGES,
          (i) => ['copy', '--dest-tls-verify=false', ...creds('dest-creds'), `oci:${layout}:img${i}`, repo(i)],
          side.home,
        );
        processCpuMs[side.name].push += cpuMs(cpuAtPush);
        if (side.name === 'portcullis') {
          // Notifications are asynchronous: note when the API shows every image of this round (not timed).
          const pushedAt = performance.now();
          while ((await repoCount()) < before + IMAGES) await new Promise((r) => setTimeout(r, 10));
          visibleMs.push(Math.round(performance.now() - pushedAt));
        }
        const countedAfterPush = side.name === 'portcullis' ? await counted() : null;
        const cpuAtPull = process.cpuUsage();
        const pull = await timed(
          IMAGES,
          (i) => [
            'copy',
            '--src-tls-verify=false',
            ...creds('src-creds'),
            repo(i),
            `oci:${join(dir, `pulled-${side.name}-${round}`)}:img${i}`,
          ],
          side.home,
        );
        processCpuMs[side.name].pull += cpuMs(cpuAtPull);
        totals[side.name].push += push;
        totals[side.name].pull += pull;
        roundMs[side.name] = push + pull;
        if (countedBefore && countedAfterPush) {
          // Late notifications of the pulls may land in the next round's push figure; the totals stay right.
          const countedAfterPull = await counted();
          tokenRequests.push += countedAfterPush.tokens - countedBefore.tokens;
          tokenRequests.pull += countedAfterPull.tokens - countedAfterPush.tokens;
          notifications.push += countedAfterPush.notifications - countedBefore.notifications;
          notifications.pull += countedAfterPull.notifications - countedAfterPush.notifications;
        }
      }
      perRound.push({
        portcullis: Math.round(roundMs.portcullis),
        bare: Math.round(roundMs.bare),
        ratio: +(roundMs.portcullis / roundMs.bare).toFixed(3),
      });
    }

    const ms = (v: number) => Math.round(v);
    const p = totals.portcullis;
    const b = totals.bare;
    const ratios = perRound.map((r) => r.ratio).sort((x, y) => x - y);
    const mid = Math.floor(ratios.length / 2);
    const ratio = +(ratios.length % 2 ? ratios[mid] : (ratios[mid - 1] + ratios[mid]) / 2).toFixed(3);
    const perImage = (n: number) => +(n / (IMAGES * ROUNDS)).toFixed(2);
    const result = {
      benchmark: 'push',
      date: new Date().toISOString(),
      machine: { node: process.version, cpus: cpus().length },
      workload: {
        images: IMAGES,
        rounds: ROUNDS,
        layer_kib: LAYER_KIB,
        client: 'skopeo copy, one image at a time, oci layout → registry → oci layout',
      },
      portcullis_ms: { push: ms(p.push), pull: ms(p.pull), total: ms(p.push + p.pull) },
      bare_registry_ms: { push: ms(b.push), pull: ms(b.pull), total: ms(b.push + b.pull) },
      ratio_vs_bare: ratio,
      ratio_of_totals: +((p.push + p.pull) / (b.push + b.pull)).toFixed(3),
      rounds: perRound,
      per_image: {
        token_requests: { push: perImage(tokenRequests.push), pull: perImage(tokenRequests.pull) },
        notifications: { push: perImage(notifications.push), pull: perImage(notifications.pull) },
        process_cpu_ms: {
          portcullis: { push: perImage(processCpuMs.portcullis.push), pull: perImage(processCpuMs.portcullis.pull) },
          bare: { push: perImage(processCpuMs.bare.push), pull: perImage(processCpuMs.bare.pull) },
        },
      },
      push_ratio: +(p.push / b.push).toFixed(3),
      pull_ratio: +(p.pull / b.pull).toFixed(3),
      target_ratio: 1.1,
      meets_target: ratio <= 1.1,
      all_pushes_visible_in_api_after_ms: visibleMs,
      note: 'ratio_vs_bare = median of the per-round ratios; *_ms are totals over all rounds; the Portcullis side adds token requests (password login, cached) and notifications',
    };
    const out = resolve(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'push.json'), JSON.stringify(result, null, 2) + '\n');
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } finally {
    for (const r of registries) await r.stop();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});

/**
 * push benchmark: wall time of pushing then pulling 20 OCI images (built without Docker) with skopeo through
 * a docker-registry 2.8 that authenticates with Portcullis tokens and notifies Portcullis (the config
 * Portcullis generates, unedited), beside the same registry with that config minus its `auth` and
 * `notifications` sections (no auth, no notifications; the same log settings, storage and cache), in the
 * same run. Both listen on 127.0.0.1 on free ports with their storage in temp dirs and are stopped by PID.
 * Portcullis runs as `npm start` runs it: the built bundles (`npm run build` first, as `npm start` does), the api
 * and the projector as their own processes on one data dir, at the default log level, so the bench driver (which
 * spawns skopeo) never shares an event loop with it.
 * Rounds cycle through every order of the sides, with fresh images each round, so drift on a busy VM hits all; each
 * timed phase starts after a sync, or the write-back of the fresh layout (and of what the phase before wrote)
 * lands on whichever side runs next (measured: 1.17–1.20× vs 1.00–1.06× by order alone without it).
 * The ratio is the median of the rounds' ratios (Portcullis side over the bare side of the same round; a burst
 * of load from other work on the machine lands in one round, not in the figure); the ratio of the totals is
 * reported beside it, and a bootstrap 95% interval of the median. Target: Portcullis side ≤ 1.10× the bare side. Also reported: how long after the last
 * push every image was visible in the Portcullis API (notifications → events → read models), and how many
 * token requests and registry notifications one image cost (from Portcullis's own /metrics counters), and the
 * CPU each process spent per image (api, projector, registry; from /proc/<pid>/stat).
 * A third side, the same registry with Portcullis's token auth but no notifications, splits the figure into
 * what the token protocol costs and what the notifications cost (tokens_only_ratio_vs_bare).
 * Usage: npm run bench -- push [--images 20] [--rounds 36] [--layer-kib 256]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { startBuiltProcess, type PortcullisProcess } from '../apps/api/src/testing/processes';
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
const ROUNDS = arg('rounds', 36);
// The six orders of the three sides (indexes into `sides`); 36 rounds run each six times. 36 rather than 18: the
// per-round ratios spread ±6% on this 2-core VM, and 18 left a 95% interval of the median ~8 points wide.
const ORDERS = [
  [0, 1, 2],
  [2, 1, 0],
  [1, 2, 0],
  [0, 2, 1],
  [2, 0, 1],
  [1, 0, 2],
];
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

type SideName = 'portcullis' | 'tokens_only' | 'bare';

interface Side {
  name: SideName;
  addr: string;
  creds: string[];
  home: string;
}

// USER_HZ: /proc reports CPU time in clock ticks of 1/100 s on Linux.
const TICK_MS = 10;

/** cpuOf is the user+system CPU a process has used so far, in ms (from /proc/<pid>/stat). */
function cpuOf(pid: number | undefined): number {
  if (!pid) return 0;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name (which may hold spaces): utime and stime are 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** median of a non-empty list. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * bootstrapInterval is the percentile bootstrap 95% interval of the median of `values`: 2000 resamples with
 * replacement, drawn with a fixed-seed generator (mulberry32) so the same rounds always give the same interval.
 */
function bootstrapInterval(values: readonly number[], resamples = 2000): [number, number] {
  let seed = 0x5eed;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const medians = Array.from({ length: resamples }, () =>
    median(Array.from(values, () => values[Math.floor(random() * values.length)])),
  ).sort((x, y) => x - y);
  return [medians[Math.floor(resamples * 0.025)], medians[Math.ceil(resamples * 0.975) - 1]];
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
  // What `npm start` runs (its prestart step); Nx answers from its cache when nothing changed.
  execFileSync('npm', ['run', 'build'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-push-'));
  // The embedded default as `npm start` runs it (tools/start.mjs): api and projector processes, one data dir.
  const apiPort = await freePort();
  const env = {
    PORTCULLIS_DATA_DIR: join(dir, 'data'),
    PORTCULLIS_PORT: String(apiPort),
    PORTCULLIS_HOST: '127.0.0.1',
    PORTCULLIS_EVENTSTORE_URL: '',
    PORTCULLIS_MONGODB_URL: '',
    PORTCULLIS_NATS_URL: '',
    PORTCULLIS_PROJECTOR_EMBEDDED: 'false',
    // Catalog sync is a background job a run of 20 images must not meet by chance.
    PORTCULLIS_BACKGROUND_SYNC_ENABLED: 'false',
  };
  const procs: PortcullisProcess[] = [];
  const base = `http://127.0.0.1:${apiPort}/api/v1`;
  const registries: RunningRegistry[] = [];
  try {
    const projector = startBuiltProcess('projector', env);
    procs.push(projector);
    const api = startBuiltProcess('api', env);
    procs.push(api);
    await Promise.all([api.waitFor(/api listening on/, 240_000), projector.waitFor(/leading \(epoch 1\)/, 240_000)]);
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

    // Bare side: the same generated config without its `auth` and `notifications` sections (same binary, log
    // settings, storage driver and cache), on its own port and storage: what is left is what Portcullis adds.
    const bare = `127.0.0.1:${await freePort()}`;
    const bareDir = join(dir, 'bare');
    mkdirSync(bareDir);
    const bareConfig = parseYaml(generated.files['config.yml']) as {
      auth?: unknown;
      notifications?: unknown;
      http: { addr: string };
      storage: { filesystem: { rootdirectory: string } };
    };
    delete bareConfig.auth;
    delete bareConfig.notifications;
    bareConfig.http.addr = bare;
    bareConfig.storage.filesystem.rootdirectory = join(bareDir, 'storage');
    writeFileSync(join(bareDir, 'config.yml'), stringifyYaml(bareConfig), { mode: 0o600 });
    registries.push(await startRegistry(join(bareDir, 'config.yml'), bare));

    // Tokens-only side, for the split: the generated config without its `notifications` section. What it costs
    // over the bare side is the token protocol (a challenge, a token request, a signature checked on every
    // request); what the Portcullis side costs over it is the notifications and their processing.
    const tokensOnly = `127.0.0.1:${await freePort()}`;
    const tokensOnlyDir = join(dir, 'tokens-only');
    mkdirSync(tokensOnlyDir);
    const tokensOnlyConfig = parseYaml(generated.files['config.yml']) as typeof bareConfig;
    delete tokensOnlyConfig.notifications;
    tokensOnlyConfig.http.addr = tokensOnly;
    tokensOnlyConfig.storage.filesystem.rootdirectory = join(tokensOnlyDir, 'storage');
    writeFileSync(join(tokensOnlyDir, 'config.yml'), stringifyYaml(tokensOnlyConfig), { mode: 0o600 });
    registries.push(await startRegistry(join(tokensOnlyDir, 'config.yml'), tokensOnly));

    const sides: Side[] = [
      { name: 'portcullis', addr: authed, creds: ['admin', PASSWORD], home: join(dir, 'home-portcullis') },
      {
        name: 'tokens_only',
        addr: tokensOnly,
        creds: ['admin', PASSWORD],
        home: join(dir, 'home-tokens-only'),
      },
      { name: 'bare', addr: bare, creds: [], home: join(dir, 'home-bare') },
    ];
    for (const s of sides) mkdirSync(s.home);
    const totals = {
      portcullis: { push: 0, pull: 0 },
      tokens_only: { push: 0, pull: 0 },
      bare: { push: 0, pull: 0 },
    };
    const perRound: Array<{
      portcullis: number;
      tokens_only: number;
      bare: number;
      ratio: number;
      tokens_only_ratio: number;
    }> = [];
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
    // CPU per process and phase, read from /proc: Portcullis's api and projector, and each side's registry.
    const [authedRegistry, bareRegistry, tokensOnlyRegistry] = registries;
    const pids = {
      api: api.child.pid,
      projector: projector.child.pid,
      registry: {
        portcullis: authedRegistry.process.pid,
        tokens_only: tokensOnlyRegistry.process.pid,
        bare: bareRegistry.process.pid,
      },
    };
    type Cpu = { api: number; projector: number; registry: number };
    const cpuNow = (side: SideName): Cpu => ({
      api: cpuOf(pids.api),
      projector: cpuOf(pids.projector),
      registry: cpuOf(pids.registry[side]),
    });
    const zero = (): Cpu => ({ api: 0, projector: 0, registry: 0 });
    const cpuMs = {
      portcullis: { push: zero(), pull: zero() },
      tokens_only: { push: zero(), pull: zero() },
      bare: { push: zero(), pull: zero() },
    };
    const addCpu = (into: Cpu, from: Cpu, to: Cpu) => {
      into.api += to.api - from.api;
      into.projector += to.projector - from.projector;
      into.registry += to.registry - from.registry;
    };
    const visibleMs: number[] = [];
    const repoCount = async () =>
      ((await call(base, 'GET', '/repositories?all=true', admin, undefined, 200)) as unknown[]).length;

    for (let round = 0; round < ROUNDS; round++) {
      const layout = join(dir, `layout-${round}`);
      const tags = Array.from({ length: IMAGES }, (_, i) => `img${i}`);
      ociLayoutOf(layout, tags, { layerBytes: LAYER_KIB * 1024 });
      // Every order of the three sides in turn, so each goes first, second and last equally often.
      const order = ORDERS[round % ORDERS.length].map((i) => sides[i]);
      const roundMs = { portcullis: 0, tokens_only: 0, bare: 0 };
      for (const side of order) {
        const before = side.name === 'portcullis' ? await repoCount() : 0;
        const countedBefore = side.name === 'portcullis' ? await counted() : null;
        const creds = (flag: string) => (side.creds.length ? [`--${flag}`, side.creds.join(':')] : []);
        // Repositories in admin's personal namespace, the same paths on both sides.
        const repo = (i: number) => `docker://${side.addr}/admin/r${round}-img${i}:v1`;
        // Every timed phase starts with nothing left to write back: the fresh layout, or what the phase before
        // wrote (blobs in a registry's storage, pulled layouts), would otherwise be flushed during this one.
        execFileSync('sync');
        const cpuAtPush = cpuNow(side.name);
        const push = await timed(
          IMAGES,
          (i) => ['copy', '--dest-tls-verify=false', ...creds('dest-creds'), `oci:${layout}:img${i}`, repo(i)],
          side.home,
        );
        addCpu(cpuMs[side.name].push, cpuAtPush, cpuNow(side.name));
        if (side.name === 'portcullis') {
          // Notifications are asynchronous: note when the API shows every image of this round (not timed).
          const pushedAt = performance.now();
          while ((await repoCount()) < before + IMAGES) await new Promise((r) => setTimeout(r, 10));
          visibleMs.push(Math.round(performance.now() - pushedAt));
        }
        const countedAfterPush = side.name === 'portcullis' ? await counted() : null;
        execFileSync('sync');
        const cpuAtPull = cpuNow(side.name);
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
        addCpu(cpuMs[side.name].pull, cpuAtPull, cpuNow(side.name));
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
        tokens_only: Math.round(roundMs.tokens_only),
        bare: Math.round(roundMs.bare),
        ratio: +(roundMs.portcullis / roundMs.bare).toFixed(3),
        tokens_only_ratio: +(roundMs.tokens_only / roundMs.bare).toFixed(3),
      });
    }

    const ms = (v: number) => Math.round(v);
    const p = totals.portcullis;
    const b = totals.bare;
    const ratios = perRound.map((r) => r.ratio);
    const ratio = +median(ratios).toFixed(3);
    const [low, high] = bootstrapInterval(ratios);
    const t = totals.tokens_only;
    const tokensOnlyRatios = perRound.map((r) => r.tokens_only_ratio);
    const [tokensLow, tokensHigh] = bootstrapInterval(tokensOnlyRatios);
    const perImage = (n: number) => +(n / (IMAGES * ROUNDS)).toFixed(2);
    const cpuPerImage = (c: Cpu) => ({
      api: perImage(c.api),
      projector: perImage(c.projector),
      registry: perImage(c.registry),
    });
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
      tokens_only_ms: { push: ms(t.push), pull: ms(t.pull), total: ms(t.push + t.pull) },
      bare_registry_ms: { push: ms(b.push), pull: ms(b.pull), total: ms(b.push + b.pull) },
      ratio_vs_bare: ratio,
      // How sure the median is: the middle 95% of the medians of 2000 resamples of the rounds (seeded).
      ratio_95ci: [+low.toFixed(3), +high.toFixed(3)],
      ratio_of_totals: +((p.push + p.pull) / (b.push + b.pull)).toFixed(3),
      // The split: the same registry with Portcullis's token auth but no notifications, over the bare side.
      tokens_only_ratio_vs_bare: +median(tokensOnlyRatios).toFixed(3),
      tokens_only_ratio_95ci: [+tokensLow.toFixed(3), +tokensHigh.toFixed(3)],
      rounds: perRound,
      per_image: {
        token_requests: { push: perImage(tokenRequests.push), pull: perImage(tokenRequests.pull) },
        notifications: { push: perImage(notifications.push), pull: perImage(notifications.pull) },
        // Measured while the phase ran (notifications still in flight at its end count in the next phase).
        cpu_ms: {
          portcullis: { push: cpuPerImage(cpuMs.portcullis.push), pull: cpuPerImage(cpuMs.portcullis.pull) },
          tokens_only: { push: cpuPerImage(cpuMs.tokens_only.push), pull: cpuPerImage(cpuMs.tokens_only.pull) },
          bare_registry: { push: perImage(cpuMs.bare.push.registry), pull: perImage(cpuMs.bare.pull.registry) },
        },
      },
      push_ratio: +(p.push / b.push).toFixed(3),
      pull_ratio: +(p.pull / b.pull).toFixed(3),
      target_ratio: 1.1,
      meets_target: ratio <= 1.1,
      // Whether the whole interval is under the target: a median on the target's edge is not a result.
      meets_target_with_95ci: high <= 1.1,
      all_pushes_visible_in_api_after_ms: visibleMs,
      topology:
        'Portcullis as npm start runs it: the built api + projector bundles as two processes on the embedded SQLite stores, default log level',
      note: 'ratio_vs_bare = median of the per-round ratios; *_ms are totals over all rounds; the Portcullis side adds token requests (password login, cached) and notifications; the tokens-only side adds the token requests alone',
    };
    const out = resolve(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'push.json'), JSON.stringify(result, null, 2) + '\n');
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } finally {
    for (const r of registries) await r.stop();
    for (const p of procs) await p.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});

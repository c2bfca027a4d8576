/**
 * ui benchmark: time to first render in Debian's Chromium (playwright-core, never a downloaded browser) of
 * the admin UI served by the built app, started the way `npm start` starts it (tools/start.mjs: api +
 * projector on a temp data dir). Measured from navigation start (a full page load, the SPA booting, the API
 * answering) to the moment the list's first row is in the DOM (a MutationObserver installed before any page
 * script records performance.now()). Scenarios, each beside a same-run baseline on the same screen:
 *   - the repository list (/repositories) and a namespace's repositories with 10k repositories, against a
 *     namespace with 10;
 *   - a repository with 1k tags, against a repository with 1 tag.
 * The admin, registry, team and namespaces are made through the API; the 10k repositories and 1k tags are
 * appended directly to the event store (the domain's own RecordPush decisions, through the api's
 * EventSourcing, ids from the same sequences) while the app is stopped, then the projector builds the read
 * models on start, as after any restart. Also reported: the API's answer time alone for each screen's list
 * request. Rounds alternate scenario and baseline so drift on a busy VM hits both; the ratio is the median
 * of the per-round ratios. Target: first rows < 1 s (median) on each of the three screens.
 * Usage: npm run bench -- ui [--runs 9] [--repositories 10000] [--tags 1000]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ANY, NO_STREAM, SqliteEventStore } from '@portcullis/persistence';
import { repositoryDecider, type RepositoryState, type RecordPush } from '@portcullis/domain';
import { Clock } from '../apps/api/src/platform/clock';
import { EventSourcing } from '../apps/api/src/platform/event-sourcing';
import { IdSource } from '../apps/api/src/platform/ids';
import { arg } from './lib/load';

const RUNS = arg('runs', 9);
const REPOSITORIES = arg('repositories', 10_000);
const TAGS = arg('tags', 1_000);
const SMALL = 10;
const ROOT = resolve(__dirname, '..');
const CHROMIUM = '/usr/bin/chromium';
const PASSWORD = 'bench-password-1';

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
    s.on('error', fail);
  });
}

/** App is `node tools/start.mjs` on the bench's data dir; stop() ends it by PID. */
interface App {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startApp(dataDir: string, port: number): Promise<App> {
  const child = spawn(process.execPath, ['tools/start.mjs'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORTCULLIS_DATA_DIR: dataDir,
      PORTCULLIS_HOST: '127.0.0.1',
      PORTCULLIS_PORT: String(port),
      PORTCULLIS_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const app: App = {
    url: `http://127.0.0.1:${port}`,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(child.pid as number, 'SIGTERM');
      await exited;
    },
  };
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode})`);
    const up = await fetch(`${app.url}/api/v1/_ping`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (up) return app;
    await new Promise((r) => setTimeout(r, 100));
  }
  await app.stop();
  throw new Error('the api did not answer /api/v1/_ping within 60 s');
}

/** call is a JSON request to the api that fails loudly on an unexpected status. */
async function call(base: string, method: string, path: string, auth: string | null, body?: unknown) {
  const res = await fetch(`${base}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(auth ? { 'portus-auth': auth } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return { body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** ids hands out `n` ids from the api's own `sequence-<kind>` stream in one append (as allocateId does one). */
async function ids(store: SqliteEventStore, kind: string, n: number): Promise<number[]> {
  const events = Array.from({ length: n }, () => ({ type: 'IdAllocated', data: {} }));
  const result = await store.append(`sequence-${kind}`, events, { expectedRevision: ANY });
  const last = Number(result.nextExpectedRevision) + 1;
  return Array.from({ length: n }, (_, i) => last - n + 1 + i);
}

/**
 * seedRepositories appends, for each name, what the api records for a first push (RepositoryCreated +
 * ImagePushed), and for `tagged` a repository with `tagCount` tags pushed one after another.
 */
async function seedRepositories(
  dataDir: string,
  admin: { id: number; username: string },
  registryId: number,
  namespaces: Array<{ id: number; name: string; repositories: number }>,
  tagged: { namespace: { id: number; name: string }; tagCount: number },
): Promise<{ manyTags: number; oneTag: number }> {
  const store = new SqliteEventStore(join(dataDir, 'events.sqlite'));
  const es = new EventSourcing(store, new Clock(), new IdSource());
  const actor = { userId: admin.id, username: admin.username };
  const metadata = { now: new Date().toISOString(), actor: { id: admin.id, username: admin.username, admin: true } };
  const facts = (n: number) => ({
    digest: `sha256:${n.toString(16).padStart(64, '0')}`,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    size: 20_000_000 + n,
    platforms: null,
    imageId: n.toString(16).padStart(64, 'f'),
  });
  const push = (
    repo: { id: number; name: string; ns: { id: number; name: string } },
    tag: string,
    tagId: number,
    n: number,
  ): RecordPush => ({
    type: 'RecordPush',
    data: {
      repository: {
        id: repo.id,
        registryId,
        fullName: `${repo.ns.name}/${repo.name}`,
        name: repo.name,
        namespaceId: repo.ns.id,
        namespaceName: repo.ns.name,
      },
      newTagId: tagId,
      tag,
      manifest: facts(n),
      actor,
      registryEventId: null,
    },
    metadata,
  });
  try {
    const total = namespaces.reduce((s, ns) => s + ns.repositories, 0) + 1;
    const repoIds = await ids(store, 'repository', total);
    const tagIds = await ids(store, 'tag', total - 1 + tagged.tagCount);
    let r = 0;
    let oneTag = 0;
    for (const ns of namespaces) {
      for (let i = 0; i < ns.repositories; i++, r++) {
        const repo = { id: repoIds[r], name: `app-${String(i).padStart(5, '0')}`, ns };
        const events = repositoryDecider.decide(push(repo, 'latest', tagIds[r], r), repositoryDecider.initialState());
        await es.append(`repository-${registryId}-${ns.name}/${repo.name}`, events, NO_STREAM, metadata);
        if (!oneTag) oneTag = repo.id;
      }
    }
    const repo = { id: repoIds[r], name: 'many-tags', ns: tagged.namespace as { id: number; name: string } };
    let state: RepositoryState = repositoryDecider.initialState();
    const all = [];
    for (let t = 0; t < tagged.tagCount; t++) {
      const events = repositoryDecider.decide(push(repo, `v${t}`, tagIds[r + t], 1_000_000 + t), state);
      state = events.reduce((s, e) => repositoryDecider.evolve(s, e), state);
      all.push(...events);
    }
    const stream = `repository-${registryId}-${repo.ns.name}/${repo.name}`;
    let revision: bigint | typeof NO_STREAM = NO_STREAM;
    for (let i = 0; i < all.length; i += 200) {
      await es.append(stream, all.slice(i, i + 200), revision, metadata);
      revision = BigInt(Math.min(i + 200, all.length) - 1);
    }
    return { manyTags: repo.id, oneTag };
  } finally {
    await store.close();
  }
}

/** quantile of sorted values (nearest rank). */
function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median_ms: +quantile(sorted, 0.5).toFixed(1),
    p95_ms: +quantile(sorted, 0.95).toFixed(1),
    runs_ms: values.map((v) => +v.toFixed(1)),
  };
}

// Installed before any page script: records when the first row of a list is in the DOM.
const FIRST_ROWS_OBSERVER = `(() => {
  const selector = '[data-testid^="repository-row-"], [data-testid^="tag-row-"]';
  const seen = () => {
    if (window.__firstRowsAt === undefined && document.querySelector(selector)) {
      window.__firstRowsAt = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(seen);
  observer.observe(document, { childList: true, subtree: true });
})();`;

async function main(): Promise<void> {
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-ui-'));
  const dataDir = join(dir, 'data');
  let app: App | null = null;
  let context: Awaited<ReturnType<typeof chromium.launchPersistentContext>> | null = null;
  try {
    const port = await freePort();
    app = await startApp(dataDir, port);
    const base = app.url;
    const boot = await call(base, 'POST', '/v1/users/bootstrap', null, {
      user: { username: 'admin', email: 'admin@example.com', password: PASSWORD },
    });
    const auth = `admin:${boot.body.plain_token}`;
    const me = (await call(base, 'GET', '/v1/users', auth)).body[0];
    const registry = (
      await call(base, 'POST', '/v1/registries', auth, {
        registry: { name: 'main', hostname: 'registry.bench:5000', use_ssl: false },
        force: true,
      })
    ).body;
    await call(base, 'POST', '/v1/teams', auth, { name: 'bench', owner_id: me.id });
    const ns = async (name: string) =>
      (await call(base, 'POST', '/v1/namespaces', auth, { name, team: 'bench' })).body as { id: number; name: string };
    const big = await ns('big');
    const small = await ns('small');
    const tagsNs = await ns('tags');
    await app.stop();
    app = null;

    let started = performance.now();
    const repos = await seedRepositories(
      dataDir,
      { id: me.id, username: 'admin' },
      registry.id,
      [
        { ...small, repositories: SMALL },
        { ...big, repositories: REPOSITORIES },
      ],
      { namespace: tagsNs, tagCount: TAGS },
    );
    const seedSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    app = await startApp(dataDir, port);
    // The projector replays the appended events on start; wait until the read models show all of them.
    const total = REPOSITORIES + SMALL + 1;
    for (;;) {
      const list = await call(base, 'GET', '/v1/repositories?per_page=1', auth);
      const tags = await call(base, 'GET', `/v1/repositories/${repos.manyTags}/tags`, auth).catch(() => null);
      if (Number(list.headers.get('x-total')) === total && tags?.body.length === TAGS) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const projectSeconds = (performance.now() - started) / 1000;

    context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 800 },
    });
    await context.addInitScript(FIRST_ROWS_OBSERVER);
    const page = context.pages()[0] ?? (await context.newPage());
    const signIn = await page.request.post(`${base}/api/v1/sessions`, {
      data: { username: 'admin', password: PASSWORD },
    });
    if (signIn.status() !== 201) throw new Error(`sign-in: ${signIn.status()} ${await signIn.text()}`);

    const firstRows = async (path: string): Promise<number> => {
      await page.goto(`${base}${path}`, { waitUntil: 'commit' });
      await page.waitForFunction(
        () => (window as unknown as { __firstRowsAt?: number }).__firstRowsAt !== undefined,
        null,
        {
          timeout: 60_000,
          polling: 50,
        },
      );
      // A list row, never an error or empty state, is what stops the clock: say which screen broke.
      if ((await page.locator('[role="alert"]').count()) > 0) throw new Error(`${path}: the screen shows an error`);
      return page.evaluate(() => (window as unknown as { __firstRowsAt: number }).__firstRowsAt);
    };
    const apiTime = async (path: string): Promise<number> => {
      const t = performance.now();
      await call(base, 'GET', path, auth);
      return performance.now() - t;
    };

    const scenarios = [
      {
        name: 'repository_list_10k',
        what: `/repositories: every repository visible to an admin (${REPOSITORIES + SMALL + 1})`,
        path: '/repositories',
        api: '/v1/repositories?page=1&per_page=25',
        baseline: {
          path: `/namespaces/${small.id}`,
          api: `/v1/namespaces/${small.id}/repositories?page=1&per_page=25`,
        },
        baselineWhat: `a namespace with ${SMALL} repositories (/namespaces/:id)`,
      },
      {
        name: 'namespace_repositories_10k',
        what: `a namespace with ${REPOSITORIES} repositories (/namespaces/:id)`,
        path: `/namespaces/${big.id}`,
        api: `/v1/namespaces/${big.id}/repositories?page=1&per_page=25`,
        baseline: {
          path: `/namespaces/${small.id}`,
          api: `/v1/namespaces/${small.id}/repositories?page=1&per_page=25`,
        },
        baselineWhat: `a namespace with ${SMALL} repositories`,
      },
      {
        name: 'repository_1k_tags',
        what: `a repository with ${TAGS} tags (/repositories/:id)`,
        path: `/repositories/${repos.manyTags}`,
        api: `/v1/repositories/${repos.manyTags}/tags/grouped`,
        baseline: { path: `/repositories/${repos.oneTag}`, api: `/v1/repositories/${repos.oneTag}/tags/grouped` },
        baselineWhat: 'a repository with 1 tag',
      },
    ];

    const results: Record<string, unknown> = {};
    for (const s of scenarios) {
      // One warm-up of each (compiles, caches the static assets as a returning user has them).
      await firstRows(s.baseline.path);
      await firstRows(s.path);
      const measured: number[] = [];
      const baseline: number[] = [];
      const ratios: number[] = [];
      const apiMeasured: number[] = [];
      const apiBaseline: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const b = await firstRows(s.baseline.path);
        const m = await firstRows(s.path);
        baseline.push(b);
        measured.push(m);
        ratios.push(m / b);
        apiBaseline.push(await apiTime(s.baseline.api));
        apiMeasured.push(await apiTime(s.api));
      }
      const sm = summary(measured);
      results[s.name] = {
        screen: s.what,
        first_rows: sm,
        baseline: { screen: s.baselineWhat, first_rows: summary(baseline) },
        ratio_vs_baseline: +summary(ratios).median_ms.toFixed(2),
        api_answer: { request: `GET /api${s.api}`, ...summary(apiMeasured), runs_ms: undefined },
        api_answer_baseline: { request: `GET /api${s.baseline.api}`, ...summary(apiBaseline), runs_ms: undefined },
        target_ms: 1000,
        meets_target: sm.median_ms < 1000,
      };
      process.stdout.write(
        `${s.name}: first rows median ${sm.median_ms} ms, p95 ${sm.p95_ms} ms; baseline median ${summary(baseline).median_ms} ms; ratio ${(results[s.name] as { ratio_vs_baseline: number }).ratio_vs_baseline}\n`,
      );
    }

    const result = {
      benchmark: 'ui',
      date: new Date().toISOString(),
      machine: { node: process.version, cpus: cpus().length, loadavg_at_end: loadavg().map((l) => +l.toFixed(2)) },
      browser: `Debian ${CHROMIUM}, headless, 1280×800, via playwright-core`,
      measure:
        'navigation start → first list row in the DOM (MutationObserver installed before page scripts); full page load each run, static assets cached after one warm-up; scenario and baseline alternate',
      seeded: {
        repositories: total,
        tags_in_one_repository: TAGS,
        append_seconds: +seedSeconds.toFixed(1),
        projection_on_start_seconds: +projectSeconds.toFixed(1),
      },
      runs: RUNS,
      ...results,
    };
    const out = resolve(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'ui.json'), JSON.stringify(result, null, 2) + '\n');
    process.stdout.write(`wrote bench/results/ui.json\n`);
  } finally {
    await context?.close();
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});

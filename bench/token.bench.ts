/**
 * token benchmark: `GET /v2/token` with an application token as the Basic password and 3 scopes
 * (a team namespace the user contributes to, a public one, a global repository), through the real
 * Nest app listening on 127.0.0.1 with SQLite read models and the in-memory ACL index. The baseline,
 * on equal footing in the same run: a bare jose ES256 signer behind a minimal node:http server in the
 * same process, answering `GET /v2/token` with the same claims and body. Both are driven by the same
 * load client (bench/lib/http-load-client.mjs via bench/lib/load.ts) in a child process, so client CPU never counts against
 * either server; rounds alternate (baseline, endpoint, baseline, endpoint…) so drift on a busy VM hits
 * both. The ratio is the median of the rounds' ratios (each round's endpoint over the baseline just before it),
 * which a burst of load from other work on the machine moves less than a ratio of means; the ratio of the means
 * is reported beside it. Extra: the pure in-process signers (no HTTP): the baseline's, and the endpoint's
 * JoseTokenIssuer. Target: endpoint ≥ 0.8× the HTTP baseline.
 * The main comparison runs with rate_limit.token.per_minute = 0 (one client asking as fast as it can would
 * measure the limit). Extra, after it: the same endpoint with the limit on (a limit the bench never reaches,
 * so every request does the limiter's work: client address, count, headers) against a second app with it off,
 * rounds alternating, so the limiter's own cost is a same-run ratio.
 * Usage: npm run bench -- token [--seconds 4] [--concurrency 8] [--rounds 4] [--limit-rounds 4] [--limit-seconds 3]
 */
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SignJWT } from 'jose';
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { createApp } from '../apps/api/src/app/create-app';
import { loadConfig, type AppConfig } from '@portcullis/config';
import { ReadSide } from '../apps/api/src/platform/read-side';
import { RegistryTokens } from '../apps/api/src/registry-auth/registry-tokens';
import { TOKEN_ISSUER, type TokenIssuer } from '../apps/api/src/registry-auth/token-issuer.port';
import { TokenRateLimit } from '../apps/api/src/registry-auth/token-rate-limit';
import { Clock } from '../apps/api/src/platform/clock';
import { CreateTokenCommand } from '../apps/api/src/users/users.commands';
import { arg, driveInChild, mean, type Figures } from './lib/load';

const SECONDS = arg('seconds', 4);
const CONCURRENCY = arg('concurrency', 8);
const ROUNDS = arg('rounds', 4);
const LIMIT_ROUNDS = arg('limit-rounds', 4);
const LIMIT_SECONDS = arg('limit-seconds', 3);
/** LIMIT_ON: the most rate_limit.token.per_minute allows, far above what one client gets through here. */
const LIMIT_ON = 1_000_000;
const SERVICE = 'registry.test:5000';
const SCOPES = ['repository:devs/app:pull,push', 'repository:pub/lib:pull', 'repository:busybox:pull'];
const ACCESS = [
  { type: 'repository', name: 'devs/app', actions: ['pull', 'push'] },
  { type: 'repository', name: 'pub/lib', actions: ['pull'] },
  { type: 'repository', name: 'busybox', actions: ['pull'] },
];

function figures(latencies: number[], ms: number): Figures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => +sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(3);
  return {
    tokens_per_s: Math.round((sorted.length * 1000) / ms),
    p50_ms: at(0.5),
    p99_ms: at(0.99),
    tokens: sorted.length,
  };
}

/** sign produces the token the endpoint would for the bench's request: same header shape and claims. */
function sign(privateKey: KeyObject): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ access: ACCESS })
    .setProtectedHeader({
      alg: 'ES256',
      typ: 'JWT',
      kid: 'AAAA:BBBB:CCCC:DDDD:EEEE:FFFF:GGGG:HHHH:IIII:JJJJ:KKKK:LLLL',
    })
    .setIssuer('portcullis.test.lan')
    .setSubject('cora')
    .setAudience(SERVICE)
    .setIssuedAt(now)
    .setNotBefore(now - 5)
    .setExpirationTime(now + 900)
    .setJti(randomUUID())
    .sign(privateKey);
}

/** inProcessSigner runs `signOnce` back to back with no HTTP at all, for `seconds` (extra information only). */
async function inProcessSigner(
  seconds: number,
  signOnce: () => Promise<unknown>,
): Promise<Figures & { cpu_us_per_token: number }> {
  for (let i = 0; i < 500; i++) await signOnce(); // warm-up
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    const t = performance.now();
    await signOnce();
    latencies.push(performance.now() - t);
  }
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ...figures(latencies, ms), cpu_us_per_token: Math.round((used.user + used.system) / latencies.length) };
}

/** median of a non-empty list. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** bareJoseServer is the baseline: node:http answering GET /v2/token with a freshly signed token, nothing else. */
async function bareJoseServer(): Promise<Server> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || !req.url?.startsWith('/v2/token')) {
      res.writeHead(404).end();
      return;
    }
    void sign(privateKey).then((token) => {
      const body = JSON.stringify({ token, access_token: token, expires_in: 900, issued_at: new Date().toISOString() });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return server;
}

const WARMUP = 300;

/**
 * drive runs the shared child-process load client against 127.0.0.1:<port><path>, and adds this process's CPU
 * time (main thread and libuv's pool: both servers live here) per answered request, which a busy machine moves
 * far less than throughput.
 */
async function drive(
  port: number,
  path: string,
  headers: Record<string, string>,
  seconds: number,
): Promise<Figures & { server_cpu_us_per_token: number }> {
  const before = process.cpuUsage();
  const figures = await driveInChild({
    port,
    path,
    headers,
    seconds,
    concurrency: CONCURRENCY,
    warmup: WARMUP,
    expectGrants: ACCESS.length,
  });
  const cpu = process.cpuUsage(before);
  return { ...figures, server_cpu_us_per_token: Math.round((cpu.user + cpu.system) / (figures.tokens + WARMUP)) };
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

/** World is a running api with the bench's users, team, namespaces and the request to send. */
interface World {
  app: INestApplication;
  port: number;
  path: string;
  authorization: string;
  /** cora is `cora:<application token>`. */
  cora: string;
  close(): Promise<void>;
}

/** startWorld starts an api (as main.ts builds it) on a fresh data dir and builds the bench's world over HTTP. */
async function startWorld(tokenPerMinute: number): Promise<World> {
  // NOTE: the supertest-based test harness does not load under @swc-node (CJS default import), so the
  // bench builds its world over real HTTP, like a client would.
  const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-bench-'));
  const config = loadConfig({
    PORTCULLIS_DATA_DIR: dataDir,
    PORTCULLIS_LOG_LEVEL: 'silent',
    PORTCULLIS_PROJECTOR_EMBEDDED: 'true',
    PORTCULLIS_RATE_LIMIT_TOKEN_PER_MINUTE: String(tokenPerMinute),
  });
  const app = await createApp(config);
  const close = async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const base = `http://127.0.0.1:${port}/api/v1`;
    const user = { username: 'admin', email: 'admin@example.com', password: 'password1234' };
    const admin = `admin:${(await call(base, 'POST', '/users/bootstrap', null, { user }, 201)).plain_token}`;
    const registry = { name: 'main', hostname: SERVICE, use_ssl: false };
    await call(base, 'POST', '/registries', admin, { registry, force: true }, 201);
    const ids: Record<string, number> = {};
    for (const username of ['owen', 'cora']) {
      const u = { username, email: `${username}@example.com`, password: 'password1234', bot: false };
      ids[username] = (await call(base, 'POST', '/users', admin, { user: u }, 201)).id;
    }
    // Only a token's owner may create it and the API authenticates with tokens: act as the users on the bus.
    const tokenOf = async (username: string) => {
      const id = ids[username];
      const done = await app
        .get(CommandBus)
        .execute(new CreateTokenCommand({ id, username, admin: false }, id, 'bench', null));
      await app.get(ReadSide).waitFor(done.position);
      return `${username}:${done.plainToken}`;
    };
    const owner = await tokenOf('owen');
    const cora = await tokenOf('cora');
    await call(base, 'POST', '/teams', owner, { name: 'devs' }, 201);
    const team = (await call(base, 'GET', '/teams', owner))[0];
    await call(base, 'POST', `/teams/${team.id}/members`, owner, { user: 'cora', role: 'contributor' }, 201);
    for (const name of ['devs', 'pub']) await call(base, 'POST', '/namespaces', owner, { name, team: 'devs' }, 201);
    const pub = (await call(base, 'GET', '/namespaces?all=true', admin)).find(
      (n: { name: string }) => n.name === 'pub',
    );
    await call(base, 'PUT', `/namespaces/${pub.id}`, owner, { namespace: { visibility: 'public' } }, 200);

    const authorization = `Basic ${Buffer.from(cora).toString('base64')}`; // cora:<application token>
    const q = new URLSearchParams({ service: SERVICE, account: 'cora' });
    for (const sc of SCOPES) q.append('scope', sc);
    return { app, port, path: `/v2/token?${q.toString()}`, authorization, cora, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * limiterCost alternates rounds between `off` (rate limit 0) and a second app with the limit on, and reports
 * the same-run ratio of their throughput and server CPU per token.
 */
async function limiterCost(off: World) {
  const on = await startWorld(LIMIT_ON);
  const offRounds: Array<Figures & { server_cpu_us_per_token: number }> = [];
  const onRounds: Array<Figures & { server_cpu_us_per_token: number }> = [];
  try {
    for (let round = 0; round < LIMIT_ROUNDS; round++) {
      // Alternate which side goes first, so drift over a round pair hits both.
      const order = round % 2 === 0 ? [off, on] : [on, off];
      for (const world of order)
        (world === on ? onRounds : offRounds).push(
          await drive(world.port, world.path, { authorization: world.authorization }, LIMIT_SECONDS),
        );
    }
  } finally {
    await on.close();
  }
  const ratios = onRounds.map((r, i) => +(r.tokens_per_s / offRounds[i].tokens_per_s).toFixed(3));
  const cpu = (rounds: Array<{ server_cpu_us_per_token: number }>) =>
    median(rounds.map((r) => r.server_cpu_us_per_token));
  return {
    in_process_check_cpu_ns: {
      one_client: limiterCheck(1, 300_000),
      ten_thousand_clients: limiterCheck(10_000, 300_000),
    },
    limit_per_minute: LIMIT_ON,
    rounds: LIMIT_ROUNDS,
    seconds: LIMIT_SECONDS,
    limit_on: mean(onRounds),
    limit_off: mean(offRounds),
    ratio_on_vs_off: +median(ratios).toFixed(3),
    ratio_per_round: ratios,
    server_cpu_us_per_token: { limit_on: cpu(onRounds), limit_off: cpu(offRounds) },
    note: 'the same endpoint with rate_limit.token.per_minute at its maximum (never reached: every request pays the limiter, none is refused) over a second app with it at 0, rounds alternating which goes first; ratio_on_vs_off is the median of per-round ratios',
  };
}

/**
 * limiterCheck times TokenRateLimit.check alone, in process (no HTTP): `clients` addresses in turn, `checks`
 * calls (never reaching the limit), as CPU ns per check.
 */
function limiterCheck(clients: number, checks: number): number {
  const config = { rateLimit: { tokenPerMinute: LIMIT_ON, sessionsPerMinute: 0 } } as AppConfig;
  const limit = new TokenRateLimit(config, new Clock());
  const requests = Array.from({ length: clients }, (_, i) => ({
    ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
  }));
  const res = { setHeader: (_name: string, _value: number) => undefined };
  for (let i = 0; i < 10_000; i++) limit.check(requests[i % clients], res); // warm-up
  const cpu = process.cpuUsage();
  for (let i = 0; i < checks; i++) limit.check(requests[i % clients], res);
  const used = process.cpuUsage(cpu);
  return Math.round(((used.user + used.system) * 1000) / checks);
}

async function main() {
  // The bench is one client IP asking as fast as it can: the per-IP rate limit would measure itself.
  const world = await startWorld(0);
  const { app, port, path, authorization, cora } = world;
  try {
    const bare = await bareJoseServer();
    const barePort = (bare.address() as AddressInfo).port;
    const baselineRounds: Array<Figures & { server_cpu_us_per_token: number }> = [];
    const endpointRounds: Array<Figures & { server_cpu_us_per_token: number }> = [];
    try {
      for (let round = 0; round < ROUNDS; round++) {
        baselineRounds.push(await drive(barePort, path, { authorization }, SECONDS));
        endpointRounds.push(await drive(port, path, { authorization }, SECONDS));
      }
    } finally {
      await new Promise((done) => bare.close(done));
    }
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const inProcess = await inProcessSigner(SECONDS, () => sign(privateKey));
    const issuer = app.get<TokenIssuer>(TOKEN_ISSUER);
    const inProcessEndpointSigner = await inProcessSigner(SECONDS, () =>
      issuer.issue({ subject: 'cora', audience: SERVICE, access: ACCESS }),
    );
    // The endpoint's work without HTTP: decode nothing, authenticate, decide, sign (what the listener calls).
    const tokens = app.get(RegistryTokens);
    const secret = cora.slice('cora:'.length);
    const inProcessDecision = await inProcessSigner(SECONDS, () =>
      tokens.issue({ credentials: { username: 'cora', secret }, account: 'cora', service: SERVICE, scopes: SCOPES }),
    );
    const rateLimit = await limiterCost(world);
    const baseline = mean(baselineRounds);
    const measured = mean(endpointRounds);
    const roundRatios = endpointRounds.map((r, i) => +(r.tokens_per_s / baselineRounds[i].tokens_per_s).toFixed(3));
    const ratio = +median(roundRatios).toFixed(3);
    const ratioOfMeans = +(measured.tokens_per_s / baseline.tokens_per_s).toFixed(3);
    const cpuPerToken = (rounds: Array<{ server_cpu_us_per_token: number }>) =>
      median(rounds.map((r) => r.server_cpu_us_per_token));
    const result = {
      benchmark: 'token',
      date: new Date().toISOString(),
      machine: { node: process.version, cpus: cpus().length },
      request: {
        auth: 'application token (HTTP Basic)',
        scopes: SCOPES.join(' '),
        concurrency: CONCURRENCY,
        seconds: SECONDS,
        rounds: ROUNDS,
        client: 'bench/lib/http-load-client.mjs in a child process, keep-alive',
      },
      endpoint: measured,
      baseline_bare_jose_http: baseline,
      ratio_vs_baseline: ratio,
      ratio_per_round: roundRatios,
      ratio_of_means: ratioOfMeans,
      server_cpu_us_per_token: { endpoint: cpuPerToken(endpointRounds), baseline: cpuPerToken(baselineRounds) },
      cpu_ratio: +(cpuPerToken(baselineRounds) / cpuPerToken(endpointRounds)).toFixed(3),
      target_ratio: 0.8,
      meets_target: ratio >= 0.8,
      rounds: { endpoint: endpointRounds, baseline_bare_jose_http: baselineRounds },
      extra_in_process_jose_signer: inProcess,
      extra_in_process_endpoint_signer: inProcessEndpointSigner,
      extra_in_process_authenticate_decide_sign: inProcessDecision,
      extra_rate_limit_on: rateLimit,
      note:
        "endpoint = the api app from createApp (as main.ts builds it), in the bench process: GET /v2/token answered by the HTTP server's own request listener ahead of Express (rate limit off, metrics, draining check) + HTTP Basic + user and application-token hash from the in-memory credential index (shared read models only for what it does not know yet) + registry, 3 namespaces and roles (ACL index) + evaluateAccess + ES256 sign (jose CompactSign, key imported once) + JSON; " +
        'baseline = bare node:http + jose ES256 sign + JSON, same process, same client, rounds alternating. ratio_vs_baseline is the median of the per-round ratios (ADR 0014).',
    };
    const out = resolve(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'token.json'), JSON.stringify(result, null, 2) + '\n');
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } finally {
    await world.close();
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});

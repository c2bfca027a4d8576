/**
 * token benchmark: `GET /v2/token` with an application token as the Basic password and 3 scopes
 * (a team namespace the user contributes to, a public one, a global repository), through the real
 * Nest app listening on 127.0.0.1 with SQLite read models, driven by keep-alive HTTP clients in the
 * same process. Beside it, measured in the same run: a bare jose ES256 signer producing tokens with
 * the same claims, one after another. The ratio is what to compare across runs (target ≥ 0.8).
 * Usage: npm run bench -- token [--seconds 5] [--concurrency 8]
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SignJWT } from 'jose';
import { CommandBus } from '@nestjs/cqrs';
import { createApp } from '../apps/api/src/app/create-app';
import { loadConfig } from '../apps/api/src/config/load-config';
import { ReadSide } from '../apps/api/src/infrastructure/read-side';
import { CreateTokenCommand } from '../apps/api/src/users/users.commands';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 5);
const CONCURRENCY = arg('concurrency', 8);
const SERVICE = 'registry.test:5000';
const SCOPES = ['repository:devs/app:pull,push', 'repository:pub/lib:pull', 'repository:busybox:pull'];

interface Figures {
  tokens_per_s: number;
  p50_ms: number;
  p99_ms: number;
  tokens: number;
}

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

/** bareJose signs the same claims as the endpoint would, back to back, for `seconds`. */
async function bareJose(seconds: number): Promise<Figures> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const access = [
    { type: 'repository', name: 'devs/app', actions: ['pull', 'push'] },
    { type: 'repository', name: 'pub/lib', actions: ['pull'] },
    { type: 'repository', name: 'busybox', actions: ['pull'] },
  ];
  const sign = () => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ access })
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
  };
  for (let i = 0; i < 500; i++) await sign(); // warm-up
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    const t = performance.now();
    await sign();
    latencies.push(performance.now() - t);
  }
  return figures(latencies, performance.now() - start);
}

/** endpoint drives GET /v2/token with `concurrency` keep-alive clients for `seconds`. */
async function endpoint(port: number, authorization: string, seconds: number, concurrency: number): Promise<Figures> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const q = new URLSearchParams({ service: SERVICE, account: 'cora' });
  for (const s of SCOPES) q.append('scope', s);
  const path = `/v2/token?${q.toString()}`;
  const once = () =>
    new Promise<void>((done, fail) => {
      const req = request({ host: '127.0.0.1', port, path, agent, headers: { authorization } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 200) return fail(new Error(`status ${res.statusCode}: ${Buffer.concat(chunks)}`));
          const body = JSON.parse(Buffer.concat(chunks).toString()) as { token: string };
          const claims = JSON.parse(Buffer.from(body.token.split('.')[1], 'base64url').toString()) as {
            access: unknown[];
          };
          if (claims.access.length !== 3) return fail(new Error(`expected 3 grants, got ${JSON.stringify(claims)}`));
          done();
        });
      });
      req.on('error', fail);
      req.end();
    });
  for (let i = 0; i < 300; i++) await once(); // warm-up (JIT, read-model statement caches)
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await once();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const ms = performance.now() - start;
  agent.destroy();
  return figures(latencies, ms);
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

async function main() {
  // NOTE: the supertest-based test harness does not load under @swc-node (CJS default import), so the
  // bench builds its world over real HTTP, like a client would.
  const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-bench-'));
  const config = loadConfig({
    PORTCULLIS_DATA_DIR: dataDir,
    PORTCULLIS_LOG_LEVEL: 'silent',
    PORTCULLIS_PROJECTOR_EMBEDDED: 'true',
    // The bench is one client IP asking as fast as it can: the per-IP rate limit would measure itself.
    PORTCULLIS_RATE_LIMIT_TOKEN_PER_MINUTE: '0',
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}/api/v1`;
  try {
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

    const baseline = await bareJose(SECONDS);
    const measured = await endpoint(port, authorization, SECONDS, CONCURRENCY);
    const ratio = +(measured.tokens_per_s / baseline.tokens_per_s).toFixed(3);
    const result = {
      benchmark: 'token',
      date: new Date().toISOString(),
      machine: { node: process.version, cpus: cpus().length },
      request: {
        auth: 'application token (HTTP Basic)',
        scopes: SCOPES.join(' '),
        concurrency: CONCURRENCY,
        seconds: SECONDS,
      },
      endpoint: measured,
      baseline_bare_jose_es256: baseline,
      ratio_vs_baseline: ratio,
      target_ratio: 0.8,
      meets_target: ratio >= 0.8,
      note: 'endpoint = HTTP parse + Basic + token lookup + user + registry + 3 namespace/role reads + evaluateAccess + ES256 sign + JSON, client in the same process',
    };
    const out = resolve(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'token.json'), JSON.stringify(result, null, 2) + '\n');
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});

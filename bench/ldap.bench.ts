/**
 * ldap benchmark: `GET /v2/token` with an LDAP password (service bind, search, user bind against a real
 * slapd) for a user in 500 groups and for a user in none, measured in the same run, alternating in
 * rounds so drift hits both alike. The login search never asks for memberOf, so the two should match
 * (target: p99 within 10 %). Uses LDAP_TEST_URL, or starts its own slapd with tools/slapd/start.sh.
 * Usage: npm run bench -- ldap [--seconds 6] [--concurrency 4] [--rounds 3]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'ldapts';
import { createApp } from '../apps/api/src/app/create-app';
import { loadConfig } from '../apps/api/src/config/load-config';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 6);
const CONCURRENCY = arg('concurrency', 4);
const ROUNDS = arg('rounds', 3);
const GROUPS = 500;
const SERVICE = 'registry.test:5000';
const ROOT = resolve(__dirname, '..');

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

/** drive sends token requests with `concurrency` keep-alive clients for `seconds`, collecting latencies. */
async function drive(port: number, authorization: string, seconds: number, concurrency: number, into: number[]) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const path = `/v2/token?service=${encodeURIComponent(SERVICE)}&scope=registry:catalog:*`;
  const once = () =>
    new Promise<void>((done, fail) => {
      const req = request({ host: '127.0.0.1', port, path, agent, headers: { authorization } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? done() : fail(new Error(`status ${res.statusCode}`))));
      });
      req.on('error', fail);
      req.end();
    });
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await once();
        into.push(performance.now() - t);
      }
    }),
  );
  agent.destroy();
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'portcullis-bench-ldap-'));
  let url = process.env['LDAP_TEST_URL'] ?? '';
  const ownSlapd = !url;
  if (ownSlapd) {
    const port = String(20000 + Math.floor(Math.random() * 20000));
    execFileSync('bash', [join(ROOT, 'tools/slapd/start.sh'), port, join(work, 'slapd')], { stdio: 'ignore' });
    url = `ldap://127.0.0.1:${port}/`;
  }
  const run = Math.random().toString(16).slice(2, 8);
  const [many, none] = [`many${run}`, `none${run}`];
  const ou = `ou=bench${run},ou=people,dc=example,dc=org`;
  const root = new Client({ url, timeout: 10_000 });
  await root.bind('cn=admin,dc=example,dc=org', 'adminpw');
  await root.add(ou, { objectClass: 'organizationalUnit', ou: `bench${run}` });
  for (const uid of [many, none])
    await root.add(`uid=${uid},${ou}`, {
      objectClass: 'inetOrgPerson',
      cn: uid,
      sn: uid,
      uid,
      userPassword: `${uid}-pw`,
    });
  await root.add(`ou=bench${run},ou=groups,dc=example,dc=org`, {
    objectClass: 'organizationalUnit',
    ou: `bench${run}`,
  });
  for (let i = 0; i < GROUPS; i++)
    await root.add(`cn=g${i},ou=bench${run},ou=groups,dc=example,dc=org`, {
      objectClass: 'groupOfNames',
      cn: `g${i}`,
      member: `uid=${many},${ou}`,
    });
  const { searchEntries } = await root.search(`uid=${many},${ou}`, { scope: 'base', attributes: ['memberOf'] });
  const memberOf = ([] as unknown[]).concat(searchEntries[0]?.['memberOf'] ?? []).length;
  await root.unbind();

  const u = new URL(url);
  const config = loadConfig({
    PORTCULLIS_DATA_DIR: join(work, 'data'),
    PORTCULLIS_LOG_LEVEL: 'silent',
    PORTCULLIS_PROJECTOR_EMBEDDED: 'true',
    // One client IP asking as fast as it can: the per-IP rate limit would measure itself.
    PORTCULLIS_RATE_LIMIT_TOKEN_PER_MINUTE: '0',
    PORTCULLIS_LDAP_ENABLED: 'true',
    PORTCULLIS_LDAP_HOSTNAME: u.hostname,
    PORTCULLIS_LDAP_PORT: u.port,
    PORTCULLIS_LDAP_BASE: 'dc=example,dc=org',
    PORTCULLIS_LDAP_AUTHENTICATION_ENABLED: 'true',
    PORTCULLIS_LDAP_AUTHENTICATION_BIND_DN: 'cn=portcullis,dc=example,dc=org',
    PORTCULLIS_LDAP_AUTHENTICATION_PASSWORD: 'portcullis-service',
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  try {
    const auth = (uid: string) => `Basic ${Buffer.from(`${uid}:${uid}-pw`).toString('base64')}`;
    // First logins (user creation) and warm-up, outside the measurement.
    for (const uid of [many, none]) {
      const warm: number[] = [];
      await drive(port, auth(uid), 1, CONCURRENCY, warm);
    }
    const latencies: Record<string, number[]> = { [many]: [], [none]: [] };
    const ms: Record<string, number> = { [many]: 0, [none]: 0 };
    for (let r = 0; r < ROUNDS; r++) {
      for (const uid of r % 2 === 0 ? [many, none] : [none, many]) {
        const t = performance.now();
        await drive(port, auth(uid), SECONDS / ROUNDS, CONCURRENCY, latencies[uid]);
        ms[uid] += performance.now() - t;
      }
    }
    const inMany = figures(latencies[many], ms[many]);
    const inNone = figures(latencies[none], ms[none]);
    const p99Ratio = +(inMany.p99_ms / inNone.p99_ms).toFixed(3);
    const result = {
      benchmark: 'ldap',
      date: new Date().toISOString(),
      machine: { node: process.version, cpus: cpus().length },
      request: {
        auth: 'LDAP password (HTTP Basic): service bind + search + user bind, one connection per request',
        scope: 'registry:catalog:*',
        concurrency: CONCURRENCY,
        seconds_each: SECONDS,
        rounds: ROUNDS,
        slapd: ownSlapd ? 'started by the bench (tools/slapd/start.sh)' : 'LDAP_TEST_URL',
      },
      user_in_500_groups: { ...inMany, memberOf_values: memberOf },
      user_in_0_groups: inNone,
      p99_ratio_500_vs_0: p99Ratio,
      target: 'p99 within 10 % (ratio ≤ 1.10)',
      meets_target: p99Ratio <= 1.1,
      note: 'same-process HTTP clients; the login search requests uid (and the email attribute) only, never memberOf',
    };
    const out = resolve(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'ldap.json'), JSON.stringify(result, null, 2) + '\n');
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } finally {
    await app.close();
    if (ownSlapd) execFileSync('bash', [join(ROOT, 'tools/slapd/stop.sh'), join(work, 'slapd')], { stdio: 'ignore' });
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});

// The first "done when": `npm start` serves /api/v1/_ping on the embedded default with no
// other server; bootstrap an admin, create a user, a team and a namespace; stop; start again; all
// still there. Runs the built apps exactly as `npm start` does (tools/start.mjs).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';

const root = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-smoke-'));
const port = 3000 + Math.floor(Math.random() * 2000) + 17000;
const base = `http://127.0.0.1:${port}/api`;
let child = null;

async function start() {
  child = spawn(process.execPath, ['tools/start.mjs'], {
    cwd: root,
    env: { ...process.env, PORTCULLIS_DATA_DIR: dataDir, PORTCULLIS_PORT: String(port), PORTCULLIS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    try {
      const res = await fetch(`${base}/v1/_ping`);
      if (res.status === 200) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('api did not answer /api/v1/_ping within 20 s');
}

async function stop() {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  child = null;
}

after(async () => {
  if (child) await stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(method, path, auth, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(auth ? { 'Portus-Auth': auth } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

test('npm start: ping, bootstrap, create, restart, still there', async () => {
  await start();
  const ping = await fetch(`${base}/v1/_ping`);
  assert.equal(ping.status, 200);
  const boot = await call('POST', '/v1/users/bootstrap', null, {
    user: { username: 'admin', email: 'admin@example.com', password: 'password1234' },
  });
  assert.equal(boot.status, 201, JSON.stringify(boot.body));
  const admin = `admin:${boot.body.plain_token}`;
  assert.equal(
    (
      await call('POST', '/v1/registries', admin, {
        registry: { name: 'main', hostname: 'registry.test:5000', use_ssl: false },
        force: true,
      })
    ).status,
    201,
  );
  const user = await call('POST', '/v1/users', admin, {
    user: { username: 'alice', email: 'alice@example.com', password: 'password1234' },
  });
  assert.equal(user.status, 201, JSON.stringify(user.body));
  const team = await call('POST', '/v1/teams', admin, { name: 'platform', owner_id: user.body.id });
  assert.equal(team.status, 201, JSON.stringify(team.body));
  const ns = await call('POST', '/v1/namespaces', admin, { name: 'infra', team: 'platform' });
  assert.equal(ns.status, 201, JSON.stringify(ns.body));
  // read-your-writes across the two processes: the api answered with the projector's state
  assert.equal(ns.body.team.name, 'platform');

  await stop();
  await start();
  const users = await call('GET', '/v1/users', admin);
  assert.deepEqual(
    users.body.map((u) => u.username),
    ['admin', 'alice'],
  );
  const teams = await call('GET', '/v1/teams', admin);
  assert.ok(teams.body.some((t) => t.name === 'platform'));
  const nss = await call('GET', '/v1/namespaces?all=true', admin);
  assert.ok(nss.body.some((n) => n.name === 'infra'));
  assert.equal((await call('GET', '/v1/health')).status, 200);
  await stop();
});

// docker/ checked without a Docker daemon: the real files pass tools/docker-lint, and each kind of
// mistake an operator or a developer would make is caught (each test breaks a copy of docker/ in one
// way). Then the parts that can run here do: make-certs.sh with openssl, the nginx template under
// Debian's `nginx -t`, the registry entrypoint with Debian's docker-registry, and healthcheck.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer as createHttpServer, get } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

const ROOT = resolve(import.meta.dirname, '../../..');
const DOCKER = join(ROOT, 'docker');
const LINT = join(ROOT, '.tools/bin/docker-lint');
const NGINX = '/usr/sbin/nginx';
const REGISTRY = '/usr/bin/docker-registry';
const temps = [];

function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** copyDocker copies docker/ (without an installation's .env and certs/) and applies one edit. */
function copyDocker(edit) {
  const dir = join(tempDir('docker-lint-'), 'docker');
  cpSync(DOCKER, dir, { recursive: true, filter: (src) => !/\/docker\/(\.env|certs)(\/|$)/.test(src) });
  edit?.(dir);
  return dir;
}

/** replaceIn edits a file, failing the test if the text to replace is not there (the fixture drifted). */
function replaceIn(file, from, to) {
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${file} no longer contains ${JSON.stringify(from)}`);
  writeFileSync(file, text.replace(from, to));
}

function lint(dir) {
  const r = spawnSync(LINT, ['-dir', dir], { encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

before(() => {
  const built = spawnSync('bash', [join(ROOT, 'tools/docker-lint/build.sh')], { stdio: 'inherit' });
  assert.equal(built.status, 0, 'tools/docker-lint/build.sh failed');
});
after(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

describe('docker-lint', () => {
  test('the committed docker/ passes: compose, Dockerfile and README agree', () => {
    const { code, out } = lint(DOCKER);
    assert.equal(code, 0, out);
    assert.match(out, /docker\/compose\.yml \(9 services\)/);
    assert.match(out, /docker\/README\.md \(\d+ docker compose commands\)/);
  });

  test('a compose file the compose-spec schema rejects fails', () => {
    const dir = copyDocker((d) =>
      replaceIn(join(d, 'compose.yml'), '  nats:\n    image:', '  nats:\n    restrat: always\n    image:'),
    );
    const { code, out } = lint(dir);
    assert.equal(code, 1, out);
    assert.match(out, /restrat/);
  });

  test('a variable missing from .env.example fails interpolation', () => {
    const dir = copyDocker((d) => replaceIn(join(d, '.env.example'), 'MACHINE_FQDN=portcullis.test.lan\n', ''));
    const { code, out } = lint(dir);
    assert.equal(code, 1, out);
    assert.match(out, /set MACHINE_FQDN in \.env/);
  });

  test('a service_healthy condition on a service without a health check fails', () => {
    const dir = copyDocker((d) =>
      replaceIn(
        join(d, 'compose.yml'),
        "    healthcheck:\n      test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8222/healthz?js-enabled-only=true']\n      interval: 10s\n      timeout: 3s\n      retries: 5\n",
        '',
      ),
    );
    const { code, out } = lint(dir);
    assert.equal(code, 1, out);
    assert.match(out, /service api waits for nats to be healthy, but nats has no healthcheck/);
    assert.match(out, /service nats has no healthcheck/);
  });

  test('a second service publishing ports, and a literal password, fail', () => {
    const dir = copyDocker((d) => {
      const file = join(d, 'compose.yml');
      replaceIn(file, '    deploy:\n      replicas:', "    ports:\n      - '3000:3000'\n    deploy:\n      replicas:");
      replaceIn(
        file,
        'MONGO_INITDB_ROOT_PASSWORD: ${MONGO_ROOT_PASSWORD:?set MONGO_ROOT_PASSWORD in .env}',
        'MONGO_INITDB_ROOT_PASSWORD: hunter2',
      );
      replaceIn(file, ':${MONGO_ROOT_PASSWORD:?set MONGO_ROOT_PASSWORD in .env}@mongodb', ':hunter2@mongodb');
    });
    const { code, out } = lint(dir);
    assert.equal(code, 1, out);
    assert.match(out, /service api publishes ports; only nginx may/);
    assert.match(out, /service mongodb: MONGO_INITDB_ROOT_PASSWORD is a literal value/);
    assert.match(out, /PORTCULLIS_MONGODB_URL holds a literal password in its URL/);
  });

  test('a Dockerfile with an unknown instruction fails', () => {
    const dir = copyDocker((d) => replaceIn(join(d, 'Dockerfile'), 'RUN npm ci\n', 'RUN npm ci\nCOPPY . .\n'));
    const { code, out } = lint(dir);
    assert.equal(code, 1, out);
    assert.match(out, /docker\/Dockerfile:\d+: .*unknown instruction: COPPY/i);
  });

  test("BuildKit's lint rules and the image rules (non-root, HEALTHCHECK) fail a weakened Dockerfile", () => {
    const dir = copyDocker((d) => {
      const file = join(d, 'Dockerfile');
      replaceIn(file, 'ENV NODE_ENV=production', 'ENV NODE_ENV production');
      replaceIn(file, 'COPY --from=build /src/dist/apps/web/browser ./dist/apps/web/browser\nUSER node\n', '');
      replaceIn(
        file,
        'HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["node", "/app/healthcheck.mjs", "api"]\n',
        '',
      );
    });
    const { code, out } = lint(dir);
    assert.equal(code, 1, out);
    assert.match(out, /LegacyKeyValueFormat/);
    assert.match(out, /target api runs as root/);
    assert.match(out, /target api has no HEALTHCHECK/);
    assert.match(out, /service nginx waits for api to be healthy, but api has no healthcheck/);
  });

  test('a README naming a service or a file that does not exist fails', () => {
    const dir = copyDocker((d) =>
      writeFileSync(
        join(d, 'README.md'),
        readFileSync(join(d, 'README.md'), 'utf8') +
          '\n```sh\ndocker compose logs -f apii\ndocker compose up -d --scale worker=2\n./make-cert.sh\n```\n',
      ),
    );
    const { code, out } = lint(dir);
    assert.equal(code, 1, out);
    assert.match(out, /names service "apii"/);
    assert.match(out, /names service "worker"/);
    assert.match(out, /names \.\/make-cert\.sh, which does not exist/);
  });
});

describe('make-certs.sh', () => {
  test('writes a CA, a server certificate for the FQDN signed by it, and the MongoDB keyfile; keeps the CA', () => {
    const out = join(tempDir('make-certs-'), 'certs');
    const run = () =>
      spawnSync('bash', [join(DOCKER, 'make-certs.sh'), 'registry.example.test', out], { encoding: 'utf8' });
    const first = run();
    assert.equal(first.status, 0, first.stderr);
    for (const f of ['ca.crt', 'ca.key', 'server.crt', 'server.key', 'mongodb.keyfile'])
      assert.ok(existsSync(join(out, f)), `${f} missing`);
    for (const f of ['ca.key', 'server.key', 'mongodb.keyfile'])
      assert.equal(statSync(join(out, f)).mode & 0o777, 0o600, `${f} must be owner-only`);
    const verify = spawnSync('openssl', ['verify', '-CAfile', join(out, 'ca.crt'), join(out, 'server.crt')], {
      encoding: 'utf8',
    });
    assert.equal(verify.status, 0, verify.stderr);
    const san = spawnSync('openssl', ['x509', '-in', join(out, 'server.crt'), '-noout', '-ext', 'subjectAltName'], {
      encoding: 'utf8',
    });
    assert.match(san.stdout, /DNS:registry\.example\.test/);
    const ca = readFileSync(join(out, 'ca.crt'), 'utf8');
    assert.equal(run().status, 0);
    assert.equal(readFileSync(join(out, 'ca.crt'), 'utf8'), ca, 'a second run must keep the CA docker already trusts');
  });

  test('refuses a name with a scheme or a port', () => {
    const r = spawnSync('bash', [join(DOCKER, 'make-certs.sh'), 'https://x.test:443', tempDir('make-certs-')], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /not a host name/);
  });
});

/** renderNginx renders the template as the nginx image does (envsubst of the defined variables). */
function renderNginx(templateText) {
  const dir = tempDir('nginx-');
  const certs = join(dir, 'certs');
  const made = spawnSync('bash', [join(DOCKER, 'make-certs.sh'), 'portcullis.example.test', certs]);
  assert.equal(made.status, 0);
  const env = {
    PATH: process.env.PATH,
    MACHINE_FQDN: 'portcullis.example.test',
    API_UPSTREAM: '127.0.0.1:3000',
    REGISTRY_UPSTREAM: '127.0.0.1:5000',
  };
  const vars = Object.keys(env)
    .map((k) => '${' + k + '}')
    .join(' ');
  const rendered = spawnSync('envsubst', [vars], { input: templateText, env, encoding: 'utf8' });
  assert.equal(rendered.status, 0, rendered.stderr);
  mkdirSync(join(dir, 'conf.d'));
  mkdirSync(join(dir, 'logs'));
  // The certificates are mounted at /etc/nginx/certs in the container; here they are in the temp dir.
  writeFileSync(join(dir, 'conf.d/default.conf'), rendered.stdout.replaceAll('/etc/nginx/certs/', `${certs}/`));
  writeFileSync(
    join(dir, 'nginx.conf'),
    `pid ${dir}/nginx.pid;\nerror_log ${dir}/logs/error.log;\nevents {}\nhttp {\n  access_log off;\n` +
      `  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  include ${dir}/conf.d/default.conf;\n}\n`,
  );
  return spawnSync(NGINX, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
}

describe('nginx template', { skip: existsSync(NGINX) ? false : `${NGINX} missing (apt-get install nginx)` }, () => {
  const template = readFileSync(join(DOCKER, 'nginx/templates/default.conf.template'), 'utf8');

  test('renders with a test FQDN and the make-certs.sh certificates, and nginx -t accepts it', () => {
    const r = renderNginx(template);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /test is successful/);
  });

  test('nginx -t rejects a broken template (the check can fail)', () => {
    const r = renderNginx(template.replace('client_max_body_size 0;', 'client_max_body_size zero;'));
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /client_max_body_size/);
  });
});

function freePort() {
  return new Promise((res) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

function httpGet(url) {
  return new Promise((res) => {
    get(url, (r) => {
      r.resume();
      r.on('end', () => res({ status: r.statusCode, headers: r.headers }));
    }).on('error', (e) => res({ status: 0, error: e.code }));
  });
}

async function waitFor(fn, what, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe(
  'registry entrypoint',
  { skip: existsSync(REGISTRY) ? false : `${REGISTRY} missing (apt-get install docker-registry)` },
  () => {
    test('refuses everything with the bootstrap config, then serves config.yml once it is written', async () => {
      const dir = tempDir('registry-');
      const bin = join(dir, 'bin');
      mkdirSync(bin);
      // The registry:2.8 image calls it `registry`; Debian's binary is the same program.
      spawnSync('ln', ['-s', REGISTRY, join(bin, 'registry')]);
      const certs = join(dir, 'certs');
      assert.equal(spawnSync('bash', [join(DOCKER, 'make-certs.sh'), 'reg.example.test', certs]).status, 0);
      const port = await freePort();
      const configDir = join(dir, 'volume');
      const child = spawn('sh', [join(DOCKER, 'registry/entrypoint.sh')], {
        env: {
          PATH: `${bin}:/usr/bin:/bin`,
          GENERATED_CONFIG_DIR: configDir,
          MACHINE_FQDN: 'reg.example.test',
          LISTEN_ADDR: `127.0.0.1:${port}`,
          BOOTSTRAP_BUNDLE: join(certs, 'ca.crt'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let log = '';
      child.stdout.on('data', (d) => (log += d));
      child.stderr.on('data', (d) => (log += d));
      try {
        const boot = await waitFor(async () => {
          const r = await httpGet(`http://127.0.0.1:${port}/v2/`);
          return r.status ? r : null;
        }, 'the bootstrap registry');
        assert.equal(boot.status, 401, log);
        assert.equal(boot.headers['docker-distribution-api-version'], 'registry/2.0');
        assert.match(boot.headers['www-authenticate'], /realm="https:\/\/reg\.example\.test\/v2\/token"/);

        // What registry-config writes: a config without auth stands in for it, so a 200 proves the switch.
        writeFileSync(
          join(configDir, 'config.yml'),
          `version: 0.1\nstorage: {filesystem: {rootdirectory: ${configDir}/storage}}\nhttp: {addr: 127.0.0.1:${port}, secret: test}\n`,
        );
        await waitFor(
          async () => (await httpGet(`http://127.0.0.1:${port}/v2/`)).status === 200,
          'the switch to config.yml',
        );
        assert.match(log, /serving .*config\.yml/);
      } finally {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await waitFor(
        async () => (await httpGet(`http://127.0.0.1:${port}/v2/`)).status === 0,
        'the registry to stop with its entrypoint',
      );
    });
  },
);

const API_MAIN = join(ROOT, 'dist/apps/api/main.js');

describe(
  'registry-config service and the registry',
  {
    skip: !existsSync(API_MAIN)
      ? 'dist/apps/api/main.js missing (npm run build first)'
      : existsSync(REGISTRY)
        ? false
        : `${REGISTRY} missing (apt-get install docker-registry)`,
  },
  () => {
    test('generate-config.sh makes the keys and waits for the registry record, then writes a config the registry serves as is', async () => {
      const dir = tempDir('registry-config-');
      const dataDir = join(dir, 'data');
      const volume = join(dir, 'volume');
      const bin = join(dir, 'bin');
      mkdirSync(bin);
      spawnSync('ln', ['-s', REGISTRY, join(bin, 'registry')]);
      const apiPort = await freePort();
      const registryPort = await freePort();
      const common = {
        PATH: `${bin}:${process.env.PATH}`,
        PORTCULLIS_DATA_DIR: dataDir,
        PORTCULLIS_MACHINE_FQDN_VALUE: 'reg.example.test',
        PORTCULLIS_LOG_LEVEL: 'warn',
      };
      const generate = () =>
        new Promise((res) => {
          const child = spawn('sh', [join(DOCKER, 'registry/generate-config.sh')], {
            env: {
              ...common,
              APP_DIR: ROOT,
              GENERATED_CONFIG_DIR: volume,
              REGISTRY_NAME: 'registry',
              PUBLIC_URL: 'https://reg.example.test',
              LISTEN_ADDR: `127.0.0.1:${registryPort}`,
            },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          child.stdout.on('data', (d) => (out += d));
          child.stderr.on('data', (d) => (out += d));
          child.on('exit', (status) => res({ status, out }));
        });
      // As in compose: registry-config runs first, alone, on the fresh data volume.
      const early = await generate();
      assert.equal(early.status, 0, early.out);
      assert.match(early.out, /no registry named 'registry' in Portcullis yet/);
      assert.ok(!existsSync(join(volume, 'config.yml')), 'nothing may be written before the registry exists');
      // ...and leaves the keys every api replica then reads, so replicas starting together never race.
      for (const key of ['secrets/notification.key', 'secrets/webhooks.key', 'registry-token/es256/key.pem'])
        assert.ok(existsSync(join(dataDir, key)), `${key} not generated by the first registry-config run`);

      // The api as in compose, but embedded (SQLite, projections in-process) on 127.0.0.1.
      const api = spawn(process.execPath, [API_MAIN], {
        cwd: ROOT,
        env: {
          ...common,
          PORTCULLIS_HOST: '127.0.0.1',
          PORTCULLIS_PORT: String(apiPort),
          PORTCULLIS_PROJECTOR_EMBEDDED: 'true',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      let registry = null;
      try {
        await waitFor(
          async () => (await httpGet(`http://127.0.0.1:${apiPort}/api/v1/_ping`)).status === 200,
          'the api',
        );

        const post = async (path, body, auth) => {
          const res = await fetch(`http://127.0.0.1:${apiPort}/api/v1${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(auth ? { 'Portus-Auth': auth } : {}) },
            body: JSON.stringify(body),
          });
          return { status: res.status, body: await res.json() };
        };
        const admin = await post('/users/bootstrap', {
          user: { username: 'admin', email: 'admin@example.test', password: 'a-long-password-1' },
        });
        assert.equal(admin.status, 201, JSON.stringify(admin.body));
        // force: no registry answers at reg.example.test here (in compose the bootstrap registry does).
        const created = await post(
          '/registries',
          { registry: { name: 'registry', hostname: 'reg.example.test', use_ssl: true }, force: true },
          `admin:${admin.body.plain_token}`,
        );
        assert.equal(created.status, 201, JSON.stringify(created.body));

        const written = await generate();
        assert.equal(written.status, 0, written.out);
        assert.equal(statSync(join(volume, 'config.yml')).mode & 0o777, 0o600);
        const config = readFileSync(join(volume, 'config.yml'), 'utf8');
        assert.ok(config.includes(`rootcertbundle: "${join(volume, 'portcullis-bundle.crt')}"`), config);
        assert.ok(config.includes(`rootdirectory: "${join(volume, 'storage')}"`), config);
        assert.match(config, /realm: "https:\/\/reg\.example\.test\/v2\/token"/);
        assert.match(config, /url: "https:\/\/reg\.example\.test\/v2\/webhooks\/events"/);

        // The registry container's entrypoint on the same volume path serves it unedited.
        registry = spawn('sh', [join(DOCKER, 'registry/entrypoint.sh')], {
          env: { PATH: `${bin}:/usr/bin:/bin`, GENERATED_CONFIG_DIR: volume, MACHINE_FQDN: 'reg.example.test' },
          stdio: 'ignore',
        });
        const answer = await waitFor(async () => {
          const r = await httpGet(`http://127.0.0.1:${registryPort}/v2/`);
          return r.status ? r : null;
        }, 'the registry on the generated config');
        assert.equal(answer.status, 401);
        assert.equal(
          answer.headers['www-authenticate'],
          'Bearer realm="https://reg.example.test/v2/token",service="reg.example.test"',
        );
      } finally {
        for (const child of [registry, api].filter(Boolean)) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }
      }
    });
  },
);

/** composeEnvironments reads compose.yml as compose would: .env.example values interpolated, anchors merged. */
function composeEnvironments() {
  const vars = Object.fromEntries(
    readFileSync(join(DOCKER, '.env.example'), 'utf8')
      .split('\n')
      .filter((l) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const interpolate = (v) =>
    String(v).replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-?])([^}]*))?\}/g, (_, name, op, arg) => {
      if (vars[name] !== undefined && vars[name] !== '') return vars[name];
      if (op === '-') return arg;
      throw new Error(`${name} is not in .env.example: ${arg}`);
    });
  const compose = parseYaml(readFileSync(join(DOCKER, 'compose.yml'), 'utf8'), { merge: true });
  return Object.fromEntries(
    Object.entries(compose.services).map(([name, svc]) => [
      name,
      Object.fromEntries(Object.entries(svc.environment ?? {}).map(([k, v]) => [k, interpolate(v)])),
    ]),
  );
}

describe('compose.yml and Portcullis settings', () => {
  test('every PORTCULLIS_* variable compose.yml sets is one Portcullis reads (a typo would be ignored silently)', () => {
    const schema = readFileSync(join(ROOT, 'libs/config/src/config-schema.ts'), 'utf8');
    const known = new Set(
      [...schema.matchAll(/path: '([a-z0-9_.]+)'/g)].map((m) => `PORTCULLIS_${m[1].replace(/\./g, '_').toUpperCase()}`),
    );
    for (const top of ['apps', 'libs'])
      for (const f of readdirSync(join(ROOT, top), { recursive: true }))
        if (/\.ts$/.test(f) && !/\.spec\.ts$/.test(f))
          for (const m of readFileSync(join(ROOT, top, f), 'utf8').matchAll(/['"`](PORTCULLIS_[A-Z0-9_]+)['"`]/g))
            known.add(m[1]);
    assert.ok(known.has('PORTCULLIS_WEBHOOKS_DISPATCHER_ENABLED') && known.has('PORTCULLIS_EVENTSTORE_URL'));
    const unknown = Object.entries(composeEnvironments()).flatMap(([svc, env]) =>
      Object.keys(env)
        .filter((k) => k.startsWith('PORTCULLIS_') && !known.has(k))
        .map((k) => `${svc}: ${k}`),
    );
    assert.deepEqual(unknown, []);
  });

  test('paths and ports agree between services: the generated registry config, certificates, upstreams', () => {
    const compose = parseYaml(readFileSync(join(DOCKER, 'compose.yml'), 'utf8'), { merge: true });
    const envs = composeEnvironments();
    const mounts = (svc) => compose.services[svc].volumes.map((v) => v.split(':')[1]);
    const volumeAt = (svc, volume) =>
      compose.services[svc].volumes.find((v) => v.startsWith(`${volume}:`))?.split(':')[1];
    // registry-config writes absolute paths under GENERATED_CONFIG_DIR; the registry must see the same paths.
    const dir = envs['registry-config'].GENERATED_CONFIG_DIR;
    assert.equal(envs.registry.GENERATED_CONFIG_DIR, dir);
    assert.equal(volumeAt('registry-config', 'registry-data'), dir);
    assert.equal(volumeAt('registry', 'registry-data'), dir);
    // nginx's certificate paths are mounted; so are the CA files the api and the registry trust.
    const template = readFileSync(join(DOCKER, 'nginx/templates/default.conf.template'), 'utf8');
    const certPaths = [...template.matchAll(/ssl_certificate(?:_key)? ([^;]+);/g)].map((m) => m[1]);
    assert.equal(certPaths.length, 2);
    for (const p of certPaths) assert.ok(mounts('nginx').includes(p), `nginx does not mount ${p}`);
    assert.ok(mounts('api').includes(envs.api.NODE_EXTRA_CA_CERTS));
    assert.ok(mounts('registry').includes(envs.registry.SSL_CERT_FILE));
    // nginx's upstreams point at the ports the api and the generated registry config listen on.
    assert.equal(envs.nginx.API_UPSTREAM, `api:${envs.api.PORTCULLIS_PORT}`);
    const listen = /LISTEN_ADDR:-[^:]+:(\d+)/.exec(readFileSync(join(DOCKER, 'registry/generate-config.sh'), 'utf8'));
    assert.equal(envs.nginx.REGISTRY_UPSTREAM, `registry:${listen[1]}`);
    assert.equal(envs['registry-config'].PUBLIC_URL, `https://${envs.nginx.MACHINE_FQDN}`);
    // An installation's secrets (git-ignored in docker/) never enter an image's build context.
    const ignored = readFileSync(join(DOCKER, 'Dockerfile.dockerignore'), 'utf8').split('\n');
    for (const secret of readFileSync(join(DOCKER, '.gitignore'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#')))
      assert.ok(
        ignored.includes(`docker/${secret.replace(/\/$/, '')}`),
        `Dockerfile.dockerignore misses docker/${secret}`,
      );
  });

  test(
    'the configuration compose.yml gives the api, projector, dispatcher and registry-config is valid (one loader, libs/config)',
    {
      skip: existsSync(API_MAIN) ? false : 'dist/apps/api/main.js missing (npm run build first)',
    },
    () => {
      const envs = composeEnvironments();
      for (const svc of ['api', 'projector', 'dispatcher', 'registry-config']) {
        const env = Object.fromEntries(Object.entries(envs[svc]).filter(([k]) => k.startsWith('PORTCULLIS_')));
        // `help` loads and validates the configuration (exit 2 naming the key when a value is invalid), then stops.
        const r = spawnSync(process.execPath, [API_MAIN, 'help'], {
          cwd: ROOT,
          env: { PATH: process.env.PATH, ...env, PORTCULLIS_DATA_DIR: tempDir('compose-env-') },
          encoding: 'utf8',
        });
        assert.equal(r.status, 0, `${svc}: ${r.stderr}`);
      }
    },
  );
});

describe('healthcheck.mjs', () => {
  // Asynchronous: the servers the script probes run in this process and must keep answering.
  const check = (mode, env) =>
    new Promise((res) => {
      const child = spawn(process.execPath, [join(DOCKER, 'healthcheck.mjs'), mode], {
        env: { PATH: process.env.PATH, HEALTHCHECK_TIMEOUT_MS: '2000', ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('exit', (status) => res({ status, stderr }));
    });

  test('api: healthy on 200 from /api/v1/health, unhealthy on 503 or nothing listening', async () => {
    let status = 200;
    const server = createHttpServer((req, res) => {
      res.statusCode = req.url === '/api/v1/health' ? status : 404;
      res.end('{}');
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const port = String(server.address().port);
    try {
      assert.equal((await check('api', { PORTCULLIS_PORT: port })).status, 0);
      status = 503;
      const down = await check('api', { PORTCULLIS_PORT: port });
      assert.equal(down.status, 1);
      assert.match(down.stderr, /health answered 503/);
    } finally {
      await new Promise((r) => server.close(r));
    }
    assert.equal((await check('api', { PORTCULLIS_PORT: port })).status, 1);
  });

  test('deps: healthy when every configured store accepts a connection; names the one that does not', async () => {
    const server = createNetServer((s) => s.destroy());
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const up = server.address().port;
    const down = await freePort();
    try {
      const ok = await check('deps', {
        PORTCULLIS_MONGODB_URL: `mongodb://user:secret@127.0.0.1:${up}/p?replicaSet=rs0`,
        PORTCULLIS_NATS_URL: `nats://127.0.0.1:${up}`,
      });
      assert.equal(ok.status, 0, ok.stderr);
      const bad = await check('deps', {
        PORTCULLIS_MONGODB_URL: `mongodb://user:secret@127.0.0.1:${up}/p`,
        PORTCULLIS_EVENTSTORE_URL: `esdb://127.0.0.1:${down}?tls=false`,
      });
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, new RegExp(`127\\.0\\.0\\.1:${down}: ECONNREFUSED`));
      assert.doesNotMatch(bad.stderr, /secret/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

// Fixtures for the browser journey and the UI bench: the built app started the way `npm start` starts it
// (tools/start.mjs on a bare data dir), Debian's docker-registry and skopeo, an OCI image written without
// Docker, and Debian's Chromium driven by playwright-core (never a downloaded browser). Everything started
// here is stopped by its PID.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** ROOT is the repository root. */
export const ROOT = resolve(import.meta.dirname, '../../..');
/** CHROMIUM is Debian's browser; tools/test-all.sh installs it when missing. */
export const CHROMIUM = '/usr/bin/chromium';
/** REGISTRY_BIN is Debian's docker-registry (distribution 2.8). */
export const REGISTRY_BIN = '/usr/bin/docker-registry';
/** SKOPEO_BIN pushes images without a Docker daemon. */
export const SKOPEO_BIN = '/usr/bin/skopeo';

/** missingParts names what the journey needs but this machine lacks (empty when it can run). */
export function missingParts({ registry = true } = {}) {
  const needed = [CHROMIUM, 'dist/apps/api/main.js', 'dist/apps/projector/main.js', 'dist/apps/web'];
  if (registry) needed.push(REGISTRY_BIN, SKOPEO_BIN);
  return needed.filter((p) => !existsSync(resolve(ROOT, p)));
}

/** freePort asks the kernel for a port nothing on 127.0.0.1 uses. */
export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

/** eventually polls `probe` until it returns something truthy or `ms` pass. */
export async function eventually(probe, ms = 30_000, what = 'condition') {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** stopChild sends SIGTERM to the child's PID and waits for it to exit. */
async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(child.pid, 'SIGTERM');
  await exited;
}

/**
 * startPortcullis runs `node tools/start.mjs` (api + projector) on `dataDir`, listening on 127.0.0.1:`port`,
 * and resolves once /api/v1/_ping answers. Logs are kept (last 20 kB) for failure messages.
 */
export async function startPortcullis(dataDir, port, env = {}) {
  const child = spawn(process.execPath, ['tools/start.mjs'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORTCULLIS_DATA_DIR: dataDir,
      PORTCULLIS_HOST: '127.0.0.1',
      PORTCULLIS_PORT: String(port),
      PORTCULLIS_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (d) => (log = (log + d.toString()).slice(-20_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const app = { url: `http://127.0.0.1:${port}`, child, log: () => log, stop: () => stopChild(child) };
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}): ${log}`);
        return fetch(`${app.url}/api/v1/_ping`).then(
          (r) => r.status === 200,
          () => false,
        );
      },
      60_000,
      'the api to answer /api/v1/_ping',
    );
  } catch (e) {
    await app.stop();
    throw e;
  }
  return app;
}

/**
 * writeRegistryConfig runs the built CLI (`registry-config`, as an operator would) against the app's data dir:
 * the config Portcullis generates for `registry`, listening on `listen`, with storage and the token bundle
 * in `out`. The registry serves it unedited.
 */
export function writeRegistryConfig(dataDir, { registry, out, listen, portcullisUrl }) {
  const run = spawnSync(
    process.execPath,
    [
      'dist/apps/api/main.js',
      'registry-config',
      '--registry',
      registry,
      '--out',
      out,
      '--listen',
      listen,
      '--portcullis-url',
      portcullisUrl,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, PORTCULLIS_DATA_DIR: dataDir, PORTCULLIS_LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) throw new Error(`registry-config failed (${run.status}): ${run.stdout}${run.stderr}`);
  return join(out, 'config.yml');
}

/** startRegistry serves `configPath` with Debian's docker-registry (clean env: REGISTRY_* would override it). */
export async function startRegistry(configPath, addr) {
  const child = spawn(REGISTRY_BIN, ['serve', configPath], {
    env: { PATH: '/usr/bin:/bin' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d) => (log = (log + d.toString()).slice(-20_000)));
  const registry = { child, log: () => log, stop: () => stopChild(child) };
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`docker-registry exited: ${log}`);
        return fetch(`http://${addr}/v2/`).then(
          (r) => r.status === 401 || r.status === 200,
          () => false,
        );
      },
      30_000,
      'docker-registry to answer /v2/',
    );
  } catch (e) {
    await registry.stop();
    throw e;
  }
  return registry;
}

/** skopeo runs skopeo with its own HOME (its blob-info cache) and resolves with the status and output. */
export function skopeo(args, home) {
  return new Promise((res) => {
    const child = spawn(SKOPEO_BIN, ['--insecure-policy', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
      env: { ...process.env, HOME: home },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d.toString()));
    child.stderr.on('data', (d) => (out += d.toString()));
    child.on('close', (status) => res({ status, out }));
  });
}

const sha256 = (b) => createHash('sha256').update(b).digest('hex');

/** tarOf builds a one-file ustar archive (what a layer is). */
function tarOf(name, content) {
  const header = Buffer.alloc(512);
  const put = (text, offset, length) => header.write(text, offset, length, 'ascii');
  put(name, 0, 100);
  put('0000644\0', 100, 8);
  put('0000000\0', 108, 8);
  put('0000000\0', 116, 8);
  put(content.length.toString(8).padStart(11, '0') + '\0', 124, 12);
  put('00000000000\0', 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0' + '00', 257, 8);
  let sum = 0;
  for (const b of header) sum += b;
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  const pad = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, pad, Buffer.alloc(1024)]);
}

/**
 * ociLayout writes an OCI image layout (no Docker) with one image tagged `tag`: a fresh random layer of
 * `layerBytes`, so its size is known and no blob is shared with another run. Returns digest and size
 * (config + layer, what Portcullis shows as the tag's size).
 */
export function ociLayout(dir, tag, layerBytes = 3 * 1024 * 1024) {
  mkdirSync(join(dir, 'blobs/sha256'), { recursive: true });
  const blob = (b) => {
    writeFileSync(join(dir, 'blobs/sha256', sha256(b)), b);
    return { digest: `sha256:${sha256(b)}`, size: b.length };
  };
  // Random bytes do not compress, so the gzipped layer keeps about `layerBytes`.
  const tar = tarOf('payload.bin', randomBytes(layerBytes));
  const layer = blob(gzipSync(tar));
  const config = blob(
    Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        config: { Labels: { 'portcullis.journey.tag': tag } },
        rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(tar)}`] },
      }),
    ),
  );
  const manifest = blob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
      }),
    ),
  );
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...manifest,
          annotations: { 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
  return { digest: manifest.digest, size: config.size + layer.size };
}

/** CHROMIUM_ARGS keep the browser from reaching the network on its own and from needing a sandbox/GPU. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * launchChromium starts Debian's Chromium headless with a fresh profile in `userDataDir` (a persistent
 * context is how playwright takes a user data dir) and returns the context; close() ends the browser.
 */
export async function launchChromium(userDataDir, options = {}) {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    ...options,
  });
}

/** parseCsv reads RFC 4180 text (quoted fields, doubled quotes, CRLF or LF) into rows of fields. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

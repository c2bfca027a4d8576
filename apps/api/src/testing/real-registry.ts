import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { TestApi } from './harness';

// The real thing for e2e tests and benches: Debian's docker-registry (distribution 2.8) and skopeo
// (registry-interop §2, §5). tools/test-all.sh installs both when they are missing.
export const REGISTRY_BIN = '/usr/bin/docker-registry';
export const SKOPEO_BIN = '/usr/bin/skopeo';
export const realRegistryAvailable = existsSync(REGISTRY_BIN) && existsSync(SKOPEO_BIN);

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** tarOf builds a one-file ustar archive (what a layer is), deterministic apart from the content. */
export function tarOf(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const put = (text: string, offset: number, length: number) => header.write(text, offset, length, 'ascii');
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

/** OciImage is one tagged manifest of a layout. */
export interface OciImage {
  digest: string;
  /** imageSize is config + layers, what Portcullis reports as a tag's size. */
  imageSize: number;
}

/**
 * ociLayoutOf writes an OCI image layout (no Docker needed) with one manifest per tag. Every manifest has
 * its own fresh random layer of `layerBytes` (fresh content: no cross-repository mount from skopeo's blob
 * cache) unless `sharedLayer`, where all share one layer and differ by their config only: distinct digests,
 * so deleting one (by digest, as the registry does) leaves the others.
 */
export function ociLayoutOf(
  dir: string,
  tags: readonly string[],
  options: { layerBytes?: number; sharedLayer?: boolean } = {},
): Record<string, OciImage> {
  mkdirSync(join(dir, 'blobs/sha256'), { recursive: true });
  const blob = (b: Buffer) => {
    writeFileSync(join(dir, 'blobs/sha256', sha256(b)), b);
    return { digest: `sha256:${sha256(b)}`, size: b.length };
  };
  const newLayer = () => {
    const tar = tarOf('payload.bin', randomBytes(options.layerBytes ?? 4096));
    return { tar, layer: blob(gzipSync(tar)) };
  };
  const shared = options.sharedLayer ? newLayer() : null;
  const images: Record<string, OciImage> = {};
  const entries = tags.map((tag) => {
    const { tar, layer } = shared ?? newLayer();
    const config = blob(
      Buffer.from(
        JSON.stringify({
          architecture: 'amd64',
          os: 'linux',
          config: { Labels: { 'portcullis.test.tag': tag } },
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
    images[tag] = { digest: manifest.digest, imageSize: config.size + layer.size };
    return {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      ...manifest,
      annotations: { 'org.opencontainers.image.ref.name': tag },
    };
  });
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: entries }));
  return images;
}

/** ociLayout writes a layout with one fresh image tagged `tag`. */
export function ociLayout(dir: string, tag: string): OciImage {
  return ociLayoutOf(dir, [tag])[tag];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** SkopeoResult is an exit status and the merged stdout/stderr (skopeo prints the registry's errors there). */
export interface SkopeoResult {
  status: number | null;
  out: string;
}

/**
 * skopeo runs asynchronously: the token endpoint it calls may live in this very process. `home` gives the
 * run its own blob-info cache (a bolt DB that concurrent skopeo processes would otherwise queue on).
 */
export function skopeo(args: readonly string[], home?: string): Promise<SkopeoResult> {
  return new Promise((resolve) => {
    const env = home ? { ...process.env, HOME: home } : process.env;
    const child = spawn(SKOPEO_BIN, ['--insecure-policy', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
      env,
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (status) => resolve({ status, out }));
  });
}

/** RunningRegistry is a docker-registry child process; stop() ends it by its PID. */
export interface RunningRegistry {
  readonly process: ChildProcess;
  log(): string;
  stop(): Promise<void>;
}

/**
 * startRegistry runs `docker-registry serve <config>` with a clean environment (REGISTRY_* variables would
 * override the config) and resolves once `http://<addr>/v2/` answers (401 with token auth, 200 without).
 */
export async function startRegistry(configPath: string, addr: string): Promise<RunningRegistry> {
  const child = spawn(REGISTRY_BIN, ['serve', configPath], {
    env: { PATH: '/usr/bin:/bin' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  const running: RunningRegistry = {
    process: child,
    log: () => log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(child.pid as number, 'SIGTERM');
      await exited;
    },
  };
  try {
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`docker-registry exited: ${log}`);
      return fetch(`http://${addr}/v2/`).then(
        (r) => r.status === 401 || r.status === 200,
        () => false,
      );
    });
  } catch (e) {
    await running.stop();
    throw e;
  }
  return running;
}

/** ConnectedRegistry is a real registry configured by Portcullis (token auth + notifications) for a test api. */
export interface ConnectedRegistry {
  readonly addr: string;
  readonly registryId: number;
  readonly registry: RunningRegistry;
}

/**
 * connectRegistry makes the api listen on 127.0.0.1, points its registry record at a free port, writes the
 * config Portcullis generates (GET /api/v1/registries/:id/config) into `dir` and serves it, unedited.
 */
export async function connectRegistry(api: TestApi, dir: string): Promise<ConnectedRegistry> {
  await api.app.listen(0, '127.0.0.1');
  const apiUrl = (await api.app.getUrl()).replace('[::1]', '127.0.0.1');
  const addr = `127.0.0.1:${await freePort()}`;
  const [reg] = (await api.http.get('/api/v1/registries').set('Portus-Auth', api.admin)).body;
  await api.http
    .put(`/api/v1/registries/${reg.id}`)
    .set('Portus-Auth', api.admin)
    .send({ registry: { hostname: addr }, force: true })
    .expect(200);
  const res = await api.http
    .get(`/api/v1/registries/${reg.id}/config`)
    .query({
      portcullis_url: apiUrl,
      listen: addr,
      storage: join(dir, 'storage'),
      bundle_path: join(dir, 'portcullis-bundle.crt'),
    })
    .set('Portus-Auth', api.admin)
    .expect(200);
  writeFileSync(join(dir, 'config.yml'), res.body.files['config.yml'], { mode: 0o600 });
  writeFileSync(join(dir, 'portcullis-bundle.crt'), res.body.files['portcullis-bundle.crt']);
  return { addr, registryId: reg.id as number, registry: await startRegistry(join(dir, 'config.yml'), addr) };
}

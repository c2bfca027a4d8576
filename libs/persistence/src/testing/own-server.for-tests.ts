import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../../../..');

/** OwnServerKind names a tools/<kind>/start.sh script and the PID file it writes. */
export type OwnServerKind = 'ferretdb' | 'nats';
const PID_FILE: Record<OwnServerKind, string> = { ferretdb: 'ferretdb.pid', nats: 'nats.pid' };

/** ownServerMissing says why a kind cannot be started here (binary not built or installed), or null. */
export function ownServerMissing(kind: OwnServerKind): string | null {
  if (kind === 'ferretdb') {
    const bin = process.env['FERRETDB_BIN'] ?? join(ROOT, '.tools/bin/ferretdb');
    return existsSync(bin) ? null : `ferretdb not built (${bin}): run tools/ferretdb/build.sh`;
  }
  const bin = process.env['NATS_SERVER_BIN'] ?? '/usr/sbin/nats-server';
  return existsSync(bin) ? null : `nats-server not installed (${bin}): apt-get install nats-server`;
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)));
  });
}

/** freePort finds a port on 127.0.0.1 that is free, and whose +1000 neighbour is too (nats monitoring). */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    if ((await portFree(port)) && (await portFree(port + 1000))) return port;
  }
  throw new Error('no free port pair found on 127.0.0.1');
}

/**
 * OwnServer is a server this test started with tools/<kind>/start.sh on its own port and data dir
 * (never the run's shared one), stopped by the PID it recorded. restart() keeps port and data.
 */
export class OwnServer {
  private constructor(
    readonly kind: OwnServerKind,
    readonly port: number,
    readonly dir: string,
  ) {}

  /** start launches a fresh server on a free port. */
  static async start(kind: OwnServerKind): Promise<OwnServer> {
    const server = new OwnServer(kind, await freePort(), mkdtempSync(join(tmpdir(), `portcullis-${kind}-`)));
    await server.restart();
    return server;
  }

  /** url is what a client connects to. */
  get url(): string {
    return this.kind === 'nats' ? `nats://127.0.0.1:${this.port}` : `mongodb://127.0.0.1:${this.port}/`;
  }

  /** restart starts the server again on the same port and data dir (after stop or kill). */
  async restart(): Promise<void> {
    await run('bash', [join(ROOT, 'tools', this.kind, 'start.sh'), String(this.port), this.dir]);
  }

  /** stop ends it gracefully (SIGTERM, by PID). */
  async stop(): Promise<void> {
    await run('bash', [join(ROOT, 'tools', this.kind, 'stop.sh'), this.dir]);
  }

  /** kill ends it with SIGKILL, by PID, and waits until it is gone: a crash, not a shutdown. */
  async kill(): Promise<void> {
    const pidFile = join(this.dir, PID_FILE[this.kind]);
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        rmSync(pidFile, { force: true });
        return;
      }
      await new Promise((done) => setTimeout(done, 50));
    }
    throw new Error(`${this.kind} (PID ${pid}) still running after SIGKILL`);
  }

  /** dispose stops it if running and removes its data dir. */
  async dispose(): Promise<void> {
    await this.stop().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

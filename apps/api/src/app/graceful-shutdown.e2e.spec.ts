import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../testing/webhook-receiver';

jest.setTimeout(180_000);

const ROOT = join(__dirname, '../../../..');
// The real entry point (main.ts), as `node dist/apps/api/main.js` runs it, compiled on the fly.
const CHILD = `
  require('ts-node').register({ transpileOnly: true, project: ${JSON.stringify(join(ROOT, 'apps/api/tsconfig.app.json'))},
    compilerOptions: { module: 'commonjs' } });
  const base = require(${JSON.stringify(join(ROOT, 'tsconfig.base.json'))}).compilerOptions;
  require('tsconfig-paths').register({ baseUrl: ${JSON.stringify(ROOT)}, paths: base.paths });
  require('reflect-metadata');
  require(${JSON.stringify(join(__dirname, '../main.ts'))});
`;

/** rawRequest writes an HTTP/1.1 request on its own socket and collects whatever comes back. */
function rawSocket(port: number): Promise<{ socket: Socket; received: () => string; ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (c: Buffer) => (data += c.toString()));
    const ended = new Promise<void>((done) => socket.on('close', () => done()));
    socket.once('error', reject);
    socket.once('connect', () => resolve({ socket, received: () => data, ended }));
  });
}

/** refused resolves true when a new connection to the port is refused. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

describe('graceful shutdown of the api process (SIGTERM)', () => {
  let child: ChildProcess | null = null;
  let dataDir: string;
  let out = '';

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'portcullis-shutdown-'));
    child = spawn(process.execPath, ['-e', CHILD], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORTCULLIS_DATA_DIR: dataDir,
        PORTCULLIS_PORT: '0',
        PORTCULLIS_HOST: '127.0.0.1',
        PORTCULLIS_LOG_LEVEL: 'info',
        PORTCULLIS_PROJECTOR_EMBEDDED: 'true',
        PORTCULLIS_SHUTDOWN_DRAIN_TIMEOUT_MS: '20000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    await eventually(() => /listening on http:\/\/127\.0\.0\.1:\d+/.test(out) || child?.exitCode !== null, 120_000);
    if (child.exitCode !== null) throw new Error(`api exited at start: ${out}`);
  });
  afterAll(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes the request in flight, refuses new connections, stops consumers and stores, exits 0', async () => {
    const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
    // The logs are JSON, one object per line.
    const started = out.split('\n').find((l) => l.includes('listening on'));
    expect(JSON.parse(started ?? '')).toMatchObject({ level: 'info', msg: expect.stringContaining('listening on') });

    // A slow client: the bootstrap request's headers and half its body, then nothing for a while.
    const body = JSON.stringify({ user: { username: 'admin', email: 'admin@example.com', password: 'password1234' } });
    const slow = await rawSocket(port);
    slow.socket.write(
      `POST /api/v1/users/bootstrap HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: slow-one\r\n\r\n${body.slice(0, 20)}`,
    );
    // An idle keep-alive connection (a load balancer's pool): it is closed, not waited for.
    const idle = await rawSocket(port);
    idle.socket.write('GET /api/v1/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await eventually(() => idle.received().includes('"status":"live"'));
    await new Promise((r) => setTimeout(r, 300));

    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child?.kill('SIGTERM');
    await eventually(() => out.includes('SIGTERM: draining'), 10_000);
    // New connections are refused while the slow request is still in flight.
    await eventually(() => refused(port), 10_000);
    await idle.ended;
    expect(child?.exitCode).toBeNull();

    // The slow client finishes: its request is served in full (the stores are still open), then the process exits.
    slow.socket.write(body.slice(20));
    await slow.ended;
    const answer = slow.received();
    expect(answer).toMatch(/^HTTP\/1\.1 201 /);
    expect(answer).toMatch(/\r\nX-Request-Id: slow-one\r\n/i);
    expect(answer).toContain('plain_token');
    expect(await exited).toBe(0);
    const logged = out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg?: string; reqId?: string; res?: { statusCode?: number } });
    expect(logged.some((l) => l.reqId === 'slow-one' && l.res?.statusCode === 201)).toBe(true);
    expect(logged.some((l) => l.msg === 'stopped')).toBe(true);
  });
});

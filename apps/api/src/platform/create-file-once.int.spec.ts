import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadNotificationKey } from '../registry-events/notification-secrets';
import { loadSecretBox } from '../webhooks/secret-box';

/**
 * The keys Portcullis generates into <data_dir>/secrets on first start, each with a fingerprint of the key a
 * process ends up using: the webhook secret box (its key id) and the registry notification key.
 */
const keys = [
  {
    name: 'webhooks.key (webhook secrets)',
    file: 'webhooks.key',
    module: join(__dirname, '../webhooks/secret-box.ts'),
    fingerprint: `m.loadSecretBox(null, dir).seal('x').split(':')[1]`,
    here: (dir: string) => loadSecretBox(null, dir).seal('x').split(':')[1],
  },
  {
    name: 'notification.key (registry notification secrets)',
    file: 'notification.key',
    module: join(__dirname, '../registry-events/notification-secrets.ts'),
    fingerprint: `m.loadNotificationKey(dir).toString('hex')`,
    here: (dir: string) => loadNotificationKey(dir).toString('hex'),
  },
];

describe.each(keys)('<data_dir>/secrets/$file', (key) => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'portcullis-keys-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is generated 0600 on first start and read back unchanged afterwards', () => {
    const first = key.here(dir);
    expect(statSync(join(dir, 'secrets', key.file)).mode & 0o777).toBe(0o600);
    expect(key.here(dir)).toBe(first);
    expect(readdirSync(join(dir, 'secrets'))).toEqual([key.file]);
  });

  it('is one key for processes that start together on one data dir (api replicas and the dispatcher)', async () => {
    // Each child is a real process; all generate at the same instant, so they race for the file.
    const child = `
      require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
      const root = ${JSON.stringify(join(__dirname, '../../../..'))};
      const base = require(root + '/tsconfig.base.json').compilerOptions;
      require('tsconfig-paths').register({ baseUrl: root, paths: base.paths });
      require('reflect-metadata');
      const m = require(${JSON.stringify(key.module)});
      const dir = process.argv[1];
      const at = Number(process.argv[2]);
      while (Date.now() < at) {}
      process.stdout.write(${key.fingerprint});
    `;
    const at = Date.now() + 5000;
    const runs = await Promise.all(
      Array.from({ length: 6 }, () =>
        promisify(execFile)(process.execPath, ['-e', child, dir, String(at)], { cwd: __dirname, timeout: 60_000 }),
      ),
    );
    const seen = new Set(runs.map((r) => r.stdout));
    expect(seen.size).toBe(1);
    // The key on disk is the one they all use, and no temporary file is left behind.
    expect(key.here(dir)).toBe([...seen][0]);
    expect(readdirSync(join(dir, 'secrets'))).toEqual([key.file]);
  }, 60_000);
});

import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadSecretBox } from './secret-box';

describe('loadSecretBox on <data_dir>/secrets/webhooks.key', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'portcullis-secret-box-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates a 0600 key on first start and reads the same key afterwards', () => {
    const sealed = loadSecretBox(null, dir).seal('hook-secret');
    expect(statSync(join(dir, 'secrets', 'webhooks.key')).mode & 0o777).toBe(0o600);
    expect(loadSecretBox(null, dir).open(sealed)).toBe('hook-secret');
    expect(readdirSync(join(dir, 'secrets'))).toEqual(['webhooks.key']);
  });

  it('gives processes that start together on one data dir one key (api replicas and the dispatcher)', async () => {
    // Each child is a real process; all call loadSecretBox at the same instant, so they race for the file.
    const child = `
      require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
      const { loadSecretBox } = require(${JSON.stringify(join(__dirname, 'secret-box.ts'))});
      const at = Number(process.argv[2]);
      while (Date.now() < at) {}
      process.stdout.write(loadSecretBox(null, process.argv[1]).seal('x').split(':')[1]);
    `;
    const at = Date.now() + 4000;
    const runs = await Promise.all(
      Array.from({ length: 6 }, () =>
        promisify(execFile)(process.execPath, ['-e', child, dir, String(at)], { cwd: __dirname, timeout: 60_000 }),
      ),
    );
    const keyIds = new Set(runs.map((r) => r.stdout));
    expect(keyIds.size).toBe(1);
    // The key on disk is the one they all sealed with, and no temporary file is left behind.
    expect(loadSecretBox(null, dir).seal('x').split(':')[1]).toBe([...keyIds][0]);
    expect(readdirSync(join(dir, 'secrets'))).toEqual(['webhooks.key']);
  }, 60_000);
});

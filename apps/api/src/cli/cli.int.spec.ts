import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig } from '@portcullis/config';
import { runCli, parseFlags, UsageError } from './cli';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d) => (text += String(d)));
  return { stream, text: () => text };
}

describe('CLI (npm run portcullis -- …)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const config = () => loadConfig({ PORTCULLIS_DATA_DIR: dir, PORTCULLIS_LOG_LEVEL: 'silent' });

  it('help prints the usage and exits 0', async () => {
    const out = capture();
    expect(await runCli(['help'], config(), out.stream, capture().stream)).toBe(0);
    expect(out.text()).toContain('create-admin');
  });

  it.each([[[]], [['frobnicate']], [['create-admin', '--username', 'x']], [['create-admin', '--user', 'x']]])(
    'usage errors exit 2 with the usage: %j',
    async (argv) => {
      const err = capture();
      expect(await runCli(argv as string[], config(), capture().stream, err.stream)).toBe(2);
      expect(err.text()).toMatch(/^error: .*\n\nUsage:/);
    },
  );

  it('create-admin creates an admin; a second one with the same name exits 1 with the reason', async () => {
    const out = capture();
    const argv = ['create-admin', '--username', 'root', '--email', 'root@example.com', '--password', 'password1234'];
    expect(await runCli(argv, config(), out.stream, capture().stream)).toBe(0);
    expect(out.text()).toMatch(/created admin root \(id 1\)/);
    const err = capture();
    expect(await runCli(argv, config(), capture().stream, err.stream)).toBe(1);
    expect(err.text()).toMatch(/already been taken/);
  });

  it('refuses a weak password with exit 1', async () => {
    const err = capture();
    const argv = ['create-admin', '--username', 'root', '--email', 'root@example.com', '--password', 'short'];
    expect(await runCli(argv, config(), capture().stream, err.stream)).toBe(1);
    expect(err.text()).toMatch(/password/);
  });

  it('parseFlags refuses repeated and valueless flags', () => {
    expect(() => parseFlags(['--a', '1', '--a', '2'], ['a'])).toThrow(UsageError);
    expect(() => parseFlags(['--a'], ['a'])).toThrow(/needs a value/);
    expect(parseFlags(['--a', '1'], ['a'])).toEqual({ a: '1' });
  });
});

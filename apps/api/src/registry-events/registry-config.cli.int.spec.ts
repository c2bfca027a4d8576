import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '@portcullis/config';
import { runCli } from '../cli/cli';
import { startApi } from '../testing/harness';

describe('npm run portcullis -- registry-config', () => {
  it('writes config.yml (0600) and the bundle into --out, with absolute paths and the listen address', async () => {
    const api = await startApi(); // creates the registry `main` in its data dir
    const dataDir = api.dataDir;
    await api.app.close();
    try {
      const out = new PassThrough();
      let text = '';
      out.on('data', (d) => (text += String(d)));
      const config = loadConfig({ PORTCULLIS_DATA_DIR: dataDir, PORTCULLIS_LOG_LEVEL: 'silent' });
      const target = join(dataDir, 'registry');
      const argv = ['registry-config', '--registry', 'main', '--out', target, '--listen', '127.0.0.1:5077'];
      expect(await runCli(argv, config, out, new PassThrough())).toBe(0);
      expect(text).toContain(`docker-registry serve ${join(target, 'config.yml')}`);
      expect(statSync(join(target, 'config.yml')).mode & 0o777).toBe(0o600);
      const yml = parseYaml(readFileSync(join(target, 'config.yml'), 'utf8'));
      expect(yml.http.addr).toBe('127.0.0.1:5077');
      expect(yml.storage.filesystem.rootdirectory).toBe(join(target, 'storage'));
      expect(yml.auth.token.rootcertbundle).toBe(join(target, 'portcullis-bundle.crt'));
      expect(yml.auth.token.realm).toBe('http://127.0.0.1:3000/v2/token');
      expect(readFileSync(join(target, 'portcullis-bundle.crt'), 'utf8')).toMatch(/BEGIN CERTIFICATE/);
      const err = new PassThrough();
      let errText = '';
      err.on('data', (d) => (errText += String(d)));
      expect(await runCli(['registry-config', '--registry', 'nope', '--out', target], config, out, err)).toBe(1);
      expect(errText).toMatch(/no registry named 'nope'/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

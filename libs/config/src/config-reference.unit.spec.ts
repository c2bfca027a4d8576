import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { renderConfigReference } from './config-reference';
import { CONFIG_KEYS, type ConfigKey } from './config-schema';
import { envName, loadConfig } from './load-config';

const REFERENCE = resolve(__dirname, '../../../docs/configuration.md');

/** firstDifference names the first line where the committed file and the rendering part, for the failure message. */
function firstDifference(committed: string, rendered: string): string {
  const a = committed.split('\n');
  const b = rendered.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i === -1 ? a.length : i;
  return `line ${at + 1}: committed ${JSON.stringify(a[at] ?? '(end of file)')}, schema says ${JSON.stringify(b[at] ?? '(end of file)')}`;
}

describe('docs/configuration.md', () => {
  it('is what `npm run docs:config` writes from CONFIG_KEYS (edit config-schema.ts, then run it)', () => {
    const committed = readFileSync(REFERENCE, 'utf8');
    const rendered = renderConfigReference();
    const verdict =
      committed === rendered
        ? 'in sync'
        : `out of date, run npm run docs:config: ${firstDifference(committed, rendered)}`;
    expect(verdict).toBe('in sync');
  });

  it('lists every key once, with its variable, type and default', () => {
    const text = renderConfigReference();
    for (const key of CONFIG_KEYS) {
      const entries = text.split('\n').filter((line) => line.startsWith(`- **\`${key.path}\`** · `));
      expect(entries).toHaveLength(1);
      expect(entries[0]).toContain(`\`${envName(key.path)}\``);
      expect(entries[0]).toContain(key.default === null ? 'default unset' : `default \`${String(key.default)}\``);
    }
  });

  it('shows ranges and values, marks secrets, and documents a key no section names under "Other keys"', () => {
    const keys: ConfigKey[] = [
      { path: 'port', type: 'integer', default: 3000, min: 0, max: 65535, description: 'the port' },
      { path: 'ldap.port', type: 'integer', default: 389, min: 1, description: 'at least one' },
      { path: 'log_level', type: 'enum', default: 'info', values: ['info', 'debug'], description: 'verbosity' },
      { path: 'metrics.token', type: 'string', default: null, secret: true, description: 'a bearer token' },
      { path: 'brand_new.thing', type: 'boolean', default: false, description: 'not placed yet' },
    ];
    const text = renderConfigReference(keys);
    expect(text).toContain('- **`port`** · `PORTCULLIS_PORT` · integer 0–65535 · default `3000`\\\n  the port');
    expect(text).toContain('integer ≥ 1 · default `389`');
    expect(text).toContain('one of `info`, `debug` · default `info`');
    expect(text).toContain('`PORTCULLIS_METRICS_TOKEN` · string · default unset · secret');
    expect(text.slice(text.indexOf('## Other keys'))).toContain('**`brand_new.thing`**');
    expect(text).not.toContain('## Webhooks'); // sections without keys are left out
  });

  it.each(CONFIG_KEYS.map((k) => [k.path, k.description]))(
    'the description of %s renders as written (no HTML or emphasis outside `code`)',
    (_path, description) => {
      expect(description.split('`').length % 2).toBe(1); // backticks pair up
      const prose = description.replace(/`[^`]*`/g, '');
      expect(prose).not.toMatch(/[<>*|]|\n/);
    },
  );

  it('its YAML example is a valid configuration file', () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(renderConfigReference())?.[1] ?? '';
    const dir = mkdtempSync(join(tmpdir(), 'cfg-ref-'));
    try {
      writeFileSync(join(dir, 'config.yml'), yaml);
      const config = loadConfig({ PORTCULLIS_CONFIG_FILE: join(dir, 'config.yml') });
      expect(config.machineFqdn).toBe('registry.example.com');
      expect(config.settings.delete.contributors).toBe(true);
      expect(config.webhooks.allowedHosts).toEqual(['ci.internal', '10.0.0.0/8']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

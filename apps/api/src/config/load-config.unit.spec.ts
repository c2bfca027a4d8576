import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { CONFIG_KEYS } from './config-schema';
import { ConfigError, envName, loadConfig } from './load-config';

describe('configuration', () => {
  it('maps Portus key paths to PORTCULLIS_ variables', () => {
    expect(envName('delete.enabled')).toBe('PORTCULLIS_DELETE_ENABLED');
    expect(envName('user_permission.push_images.policy')).toBe('PORTCULLIS_USER_PERMISSION_PUSH_IMAGES_POLICY');
  });

  it('has Portus defaults with no configuration at all', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, dataDir: './data', eventStoreUrl: null, mongodbUrl: null });
    expect(c.settings).toMatchObject({
      firstUserAdmin: true,
      delete: { enabled: true, contributors: false },
      applicationTokensMax: 5,
    });
    expect(c.settings.userPermission.pushImages).toBe('allow-teams');
  });

  it('reads the environment over a YAML file over defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(
      join(dir, 'config.yml'),
      'delete:\n  enabled: false\n  contributors: true\nuser_permission:\n  push_images:\n    policy: admin-only\n',
    );
    const c = loadConfig({
      PORTCULLIS_DATA_DIR: dir,
      PORTCULLIS_DELETE_CONTRIBUTORS: 'false',
      PORTCULLIS_PORT: '4000',
    });
    expect(c.settings.delete).toEqual({ enabled: false, contributors: false });
    expect(c.settings.userPermission.pushImages).toBe('admin-only');
    expect(c.port).toBe(4000);
  });

  const bad: Array<[Record<string, string>, RegExp]> = [
    [{ PORTCULLIS_PORT: 'eighty' }, /port \(PORTCULLIS_PORT\) must be an integer/],
    [{ PORTCULLIS_PORT: '70000' }, /port .* between 0 and 65535/],
    [{ PORTCULLIS_DELETE_ENABLED: 'maybe' }, /delete\.enabled \(PORTCULLIS_DELETE_ENABLED\) must be true or false/],
    [{ PORTCULLIS_USER_PERMISSION_PUSH_IMAGES_POLICY: 'everyone' }, /push_images\.policy .* one of allow-teams/],
    [{ PORTCULLIS_MONGODB_URL: 'not a url' }, /mongodb_url .* must be a URL/],
    [{ PORTCULLIS_CONFIG_FILE: '/nonexistent/config.yml' }, /does not exist/],
  ];
  it.each(bad)('refuses %j naming the key', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('does not echo credentials from a bad URL', () => {
    expect(() => loadConfig({ PORTCULLIS_MONGODB_URL: 'mongodb//user:s3cret@host' })).toThrow(ConfigError);
    try {
      loadConfig({ PORTCULLIS_MONGODB_URL: 'mongodb//user:s3cret@host' });
    } catch (e) {
      expect((e as Error).message).not.toContain('s3cret');
    }
  });

  it('refuses unknown keys and bad YAML in the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'typo.yml'), 'delete:\n  enabeld: false\n');
    expect(() => loadConfig({ PORTCULLIS_CONFIG_FILE: join(dir, 'typo.yml') })).toThrow(/unknown key delete\.enabeld/);
    writeFileSync(join(dir, 'bad.yml'), 'delete: [\n');
    expect(() => loadConfig({ PORTCULLIS_CONFIG_FILE: join(dir, 'bad.yml') })).toThrow(/not valid YAML/);
  });

  describe('ldap', () => {
    const on = {
      PORTCULLIS_LDAP_ENABLED: 'true',
      PORTCULLIS_LDAP_HOSTNAME: 'ldap.example.org',
      PORTCULLIS_LDAP_BASE: 'ou=people,dc=example,dc=org',
    };
    it("is off by default and takes Portus's defaults when on", () => {
      expect(loadConfig({}).ldap).toBeNull();
      expect(loadConfig(on).ldap).toMatchObject({
        port: 389,
        encryption: 'none',
        uid: 'uid',
        bind: null,
        timeoutMs: 5000,
        groupSync: { enabled: true, groupBase: null, defaultRole: 'viewer', removeMembers: true, intervalSeconds: 300 },
      });
    });

    const badLdap: Array<[Record<string, string>, RegExp]> = [
      [{ PORTCULLIS_LDAP_HOSTNAME: '' }, /ldap\.hostname is required/],
      [{ PORTCULLIS_LDAP_BASE: '' }, /ldap\.base is required/],
      [{ PORTCULLIS_LDAP_UID: 'uid=*)(cn' }, /ldap\.uid must be an attribute name/],
      [{ PORTCULLIS_LDAP_FILTER: '(objectClass=person' }, /ldap\.filter is not an RFC 4515 filter/],
      [{ PORTCULLIS_LDAP_AUTHENTICATION_ENABLED: 'true' }, /ldap\.authentication\.bind_dn is required/],
      [{ PORTCULLIS_LDAP_ENCRYPTION_METHOD: 'ssl' }, /one of none, start_tls, simple_tls/],
      [{ PORTCULLIS_LDAP_ENCRYPTION_CA_FILE: '/nonexistent/ca.pem' }, /ca_file .* does not exist/],
    ];
    it.each(badLdap)('refuses %j', (env, message) => {
      expect(() => loadConfig({ ...on, ...env })).toThrow(message);
    });

    it('keeps the service password out of raw, JSON and inspection', () => {
      const c = loadConfig({
        ...on,
        PORTCULLIS_LDAP_AUTHENTICATION_ENABLED: 'true',
        PORTCULLIS_LDAP_AUTHENTICATION_BIND_DN: 'cn=svc,dc=example,dc=org',
        PORTCULLIS_LDAP_AUTHENTICATION_PASSWORD: 'hunter2-service',
      });
      expect(c.ldap?.bind?.password.reveal()).toBe('hunter2-service');
      expect(c.raw['ldap.authentication.password']).toBe('[redacted]');
      expect(JSON.stringify(c)).not.toContain('hunter2');
      expect(inspect(c, { depth: 10 })).not.toContain('hunter2');
    });
  });

  it('documents every key', () => {
    for (const key of CONFIG_KEYS) expect(key.description.length).toBeGreaterThan(5);
  });
});

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
    [{ PORTCULLIS_MONGODB_URL: 'not a url' }, /mongodb_url: not a usable MongoDB URL/],
    [{ PORTCULLIS_CONFIG_FILE: '/nonexistent/config.yml' }, /does not exist/],
    [{ PORTCULLIS_WEBHOOKS_DISPATCHER_METRICS_PORT: '0' }, /webhooks\.dispatcher\.metrics_port .* between 1 and 65535/],
    [
      { PORTCULLIS_WEBHOOKS_DISPATCHER_METRICS_PORT: '9464x' },
      /metrics_port \(PORTCULLIS_WEBHOOKS_DISPATCHER_METRICS_PORT\)/,
    ],
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

  describe('distributed stores (eventstore_url, mongodb_url, nats_url and their tuning)', () => {
    it('takes cluster connection strings, which are not WHATWG URLs, and production defaults', () => {
      const c = loadConfig({
        PORTCULLIS_EVENTSTORE_URL: 'esdb+discover://admin:changeit@es1:2113,es2:2113,es3:2113?nodePreference=leader',
        PORTCULLIS_MONGODB_URL: 'mongodb://app:pw@m1:27017,m2:27017,m3:27017/portcullis?replicaSet=rs0',
        PORTCULLIS_NATS_URL: 'nats://n1:4222,nats://n2:4222',
      });
      expect(c.eventStoreUrl).toBe('esdb+discover://admin:changeit@es1:2113,es2:2113,es3:2113?nodePreference=leader');
      expect(c.stores).toEqual({
        eventStore: { appendDeadlineMs: 10000, readDeadlineMs: 10000, reconnectMaxDelayMs: 5000 },
        mongodb: { writeConcern: 'majority', readConcern: 'majority', serverSelectionTimeoutMs: 5000 },
        nats: { reconnectWaitMs: 2000, reconnectJitterMs: 500 },
      });
    });

    it('reads the tuning keys', () => {
      const c = loadConfig({
        PORTCULLIS_EVENTSTORE_APPEND_DEADLINE_MS: '2500',
        PORTCULLIS_MONGODB_WRITE_CONCERN: '1',
        PORTCULLIS_MONGODB_READ_CONCERN: 'local',
        PORTCULLIS_NATS_RECONNECT_JITTER_MS: '0',
      });
      expect(c.stores.eventStore.appendDeadlineMs).toBe(2500);
      expect(c.stores.mongodb).toMatchObject({ writeConcern: 1, readConcern: 'local' });
      expect(c.stores.nats.reconnectJitterMs).toBe(0);
    });

    // Every row carries the secret; start-up must stop naming the key and never print it.
    const SECRET = 'Pa55-w0rd';
    const badStores: Array<[Record<string, string>, RegExp]> = [
      [{ PORTCULLIS_EVENTSTORE_URL: `http://admin:${SECRET}@es:2113` }, /eventstore_url: .*scheme must be esdb/],
      [
        { PORTCULLIS_EVENTSTORE_URL: `esdb://admin:${SECRET}@es:2113?tlsCAFile=/nonexistent/ca.crt` },
        /eventstore_url: .*tlsCAFile file \/nonexistent\/ca\.crt is not readable/,
      ],
      [
        { PORTCULLIS_EVENTSTORE_URL: `esdb://admin:${SECRET}@es:2113?bogus=1` },
        /eventstore_url: .*unknown option "bogus"/,
      ],
      [{ PORTCULLIS_EVENTSTORE_URL: `esdb://admin:${SECRET}@x@es:2113` }, /eventstore_url: .*%-encode/],
      [{ PORTCULLIS_MONGODB_URL: `mongodb://app:${SECRET}@m1:99999/db` }, /mongodb_url: not a usable MongoDB URL/],
      [
        { PORTCULLIS_MONGODB_URL: `mongodb://app:${SECRET}@m1/db?w=banana&bogus=1` },
        /mongodb_url: not a usable MongoDB URL/,
      ],
      [{ PORTCULLIS_MONGODB_URL: `postgres://app:${SECRET}@m1/db` }, /mongodb_url: not a usable MongoDB URL/],
      [
        { PORTCULLIS_NATS_URL: `http://u:${SECRET}@n1:4222` },
        /nats_url: NATS server #1 must use nats:\/\/ or tls:\/\//,
      ],
      [{ PORTCULLIS_NATS_URL: `nats://n1:4222,nats://u:${SECRET}@n2:99999` }, /nats_url: NATS server #2 is not a URL/],
      [
        { PORTCULLIS_MONGODB_WRITE_CONCERN: 'most' },
        /mongodb\.write_concern must be majority or a number of members 1-50, got "most"/,
      ],
      [{ PORTCULLIS_MONGODB_WRITE_CONCERN: '0' }, /mongodb\.write_concern must be majority/],
      [{ PORTCULLIS_MONGODB_READ_CONCERN: 'snapshot' }, /mongodb\.read_concern .* one of majority, local, available/],
      [{ PORTCULLIS_EVENTSTORE_APPEND_DEADLINE_MS: '10' }, /eventstore\.append_deadline_ms .* between 100 and 600000/],
      [{ PORTCULLIS_NATS_RECONNECT_WAIT_MS: 'soon' }, /nats\.reconnect_wait_ms .* must be an integer/],
    ];
    it.each(badStores)('refuses %j naming the key, without the password', (env, message) => {
      let error: unknown;
      try {
        loadConfig(env);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(SECRET);
    });
  });

  it('has no dispatcher metrics port unless one is set', () => {
    expect(loadConfig({}).webhooks.dispatcherMetricsPort).toBeNull();
    expect(loadConfig({ PORTCULLIS_WEBHOOKS_DISPATCHER_METRICS_PORT: '9464' }).webhooks.dispatcherMetricsPort).toBe(
      9464,
    );
  });

  it('documents every key', () => {
    for (const key of CONFIG_KEYS) expect(key.description.length).toBeGreaterThan(5);
  });
});

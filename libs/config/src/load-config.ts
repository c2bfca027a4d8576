import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { FilterParser } from 'ldapts';
import { type Settings, type TeamRole } from '@portcullis/domain';
import { checkMongoUrl, checkNatsUrl, parseEventStoreConnection, redactCredentials } from '@portcullis/persistence';
import { ATTRIBUTE_PATTERN } from './ldap-attribute';
import { Secret } from './secret';
import { CONFIG_KEYS, type ConfigKey } from './config-schema';

/** AppConfig is the validated configuration the api runs with. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly eventStoreUrl: string | null;
  readonly mongodbUrl: string | null;
  readonly natsUrl: string | null;
  /** stores is the production tuning of the EventStoreDB, MongoDB and NATS adapters (eventstore.*, mongodb.*, nats.*). */
  readonly stores: StoresConfig;
  readonly logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  readonly machineFqdn: string;
  readonly anonymousBrowsing: boolean;
  readonly perPage: number;
  readonly readYourWritesTimeoutMs: number;
  readonly embeddedProjector: boolean;
  /** projectorLease: the projector lease's length and renewal interval (projector.lease_ms, lease_renew_ms). */
  readonly projectorLease: { readonly leaseMs: number; readonly renewMs: number };
  readonly jwtExpirationMinutes: number;
  /** registryToken is how registry tokens are signed (registry.signing.algorithm, key_path, cert_path, key_reference). */
  readonly registryToken: {
    readonly algorithm: 'ES256' | 'RS256';
    readonly keyPath: string | null;
    readonly certPath: string | null;
    readonly keyReference: 'kid' | 'x5c';
  };
  /** sessions: UI session lifetimes (sessions.idle_timeout_minutes, sessions.absolute_timeout_minutes). */
  readonly sessions: { readonly idleTimeoutMinutes: number; readonly absoluteTimeoutMinutes: number };
  /** trustProxy: Express's `trust proxy` value (http.trust_proxy), null = trust no proxy headers. */
  readonly trustProxy: string | null;
  /** lockout: brute-force lock policy (lockout.max_attempts, lockout.unlock_after_minutes). */
  readonly lockout: { readonly maxAttempts: number; readonly unlockAfterMinutes: number };
  /** rateLimit: per-IP requests per minute (0 = off) on /v2/token and session login. */
  readonly rateLimit: { readonly tokenPerMinute: number; readonly sessionsPerMinute: number };
  /** webhooks is delivery, retry and SSRF configuration (webhooks.*). */
  readonly webhooks: WebhooksConfig;
  /** metricsToken is the bearer token /metrics requires (metrics.token); null = loopback clients only. */
  readonly metricsToken: string | null;
  /** drainTimeoutMs bounds how long shutdown waits for in-flight requests (shutdown.drain_timeout_ms). */
  readonly drainTimeoutMs: number;
  /** readyMaxLagSeconds: readiness fails while projections are further behind (health.ready.max_lag_seconds). */
  readonly readyMaxLagSeconds: number;
  readonly settings: Settings;
  /** ldap is the directory set-up (`ldap.*`), null when `ldap.enabled` is off. */
  readonly ldap: LdapConfig | null;
  /** raw holds every key by its Portus path, for diagnostics (`portcullis config`). */
  readonly raw: Readonly<Record<string, boolean | number | string | null>>;
}

/** LdapConfig is `ldap.*` after validation; the service password is a Secret. */
export interface LdapConfig {
  readonly hostname: string;
  readonly port: number;
  readonly encryption: 'none' | 'start_tls' | 'simple_tls';
  readonly caFile: string | null;
  readonly base: string;
  readonly adminBase: string | null;
  readonly filter: string | null;
  readonly uid: string;
  readonly bind: { readonly dn: string; readonly password: Secret } | null;
  readonly guessEmail: { readonly enabled: boolean; readonly attr: string | null };
  readonly timeoutMs: number;
  readonly groupSync: {
    readonly enabled: boolean;
    readonly groupBase: string | null;
    readonly defaultRole: TeamRole;
    readonly removeMembers: boolean;
    readonly intervalSeconds: number;
  };
}

/** StoresConfig tunes the distributed adapters; the embedded SQLite ones ignore it. */
export interface StoresConfig {
  readonly eventStore: {
    readonly appendDeadlineMs: number;
    readonly readDeadlineMs: number;
    readonly reconnectMaxDelayMs: number;
  };
  readonly mongodb: {
    readonly writeConcern: 'majority' | number;
    readonly readConcern: 'majority' | 'local' | 'available';
    readonly serverSelectionTimeoutMs: number;
  };
  readonly nats: { readonly reconnectWaitMs: number; readonly reconnectJitterMs: number };
}

/**
 * storesConfig checks the three connection strings with the adapters' own parsers (cluster strings such
 * as esdb+discover://a:2113,b:2113 are not WHATWG URLs) and reads the adapter tuning keys. Errors name
 * the key and never quote credentials.
 */
function storesConfig(raw: Record<string, Raw>): StoresConfig {
  const check = (key: string, validate: (value: string) => unknown) => {
    const value = raw[key] as string | null;
    if (value === null) return;
    try {
      validate(value);
    } catch (e) {
      throw new ConfigError(`Invalid configuration: ${key}: ${redactCredentials((e as Error).message)}`);
    }
  };
  check('eventstore_url', (url) => parseEventStoreConnection(url));
  check('mongodb_url', checkMongoUrl);
  check('nats_url', checkNatsUrl);
  const w = String(raw['mongodb.write_concern']).trim();
  if (w !== 'majority' && !(/^\d{1,2}$/.test(w) && Number(w) >= 1 && Number(w) <= 50))
    throw new ConfigError(
      `Invalid configuration: mongodb.write_concern must be majority or a number of members 1-50, got "${w}"`,
    );
  const n = (key: string) => raw[key] as number;
  return {
    eventStore: {
      appendDeadlineMs: n('eventstore.append_deadline_ms'),
      readDeadlineMs: n('eventstore.read_deadline_ms'),
      reconnectMaxDelayMs: n('eventstore.reconnect.max_delay_ms'),
    },
    mongodb: {
      writeConcern: w === 'majority' ? 'majority' : Number(w),
      readConcern: raw['mongodb.read_concern'] as StoresConfig['mongodb']['readConcern'],
      serverSelectionTimeoutMs: n('mongodb.server_selection_timeout_ms'),
    },
    nats: { reconnectWaitMs: n('nats.reconnect_wait_ms'), reconnectJitterMs: n('nats.reconnect_jitter_ms') },
  };
}

/** WebhooksConfig is the dispatcher's configuration (webhooks.*). */
export interface WebhooksConfig {
  readonly allowedHosts: readonly string[];
  readonly keyPath: string | null;
  readonly timeoutMs: number;
  readonly responseMaxBytes: number;
  readonly retry: {
    readonly maxAttempts: number;
    readonly maxAgeMs: number;
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
    readonly pollMs: number;
  };
  readonly dispatcherEnabled: boolean;
  /** dispatcherMetricsPort is where a stand-alone dispatcher serves /metrics (null: it serves none). */
  readonly dispatcherMetricsPort: number | null;
  readonly natsStream: string;
}

/** webhooksConfig reads webhooks.* from validated raw values. */
function webhooksConfig(raw: Record<string, boolean | number | string | null>): WebhooksConfig {
  const n = (p: string) => raw[`webhooks.${p}`] as number;
  const hosts = (raw['webhooks.allowed_hosts'] as string | null) ?? '';
  return {
    allowedHosts: hosts
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    keyPath: raw['webhooks.key_path'] as string | null,
    timeoutMs: n('timeout_ms'),
    responseMaxBytes: n('response_max_bytes'),
    retry: {
      maxAttempts: n('retry.max_attempts'),
      maxAgeMs: n('retry.max_hours') * 3_600_000,
      baseDelayMs: n('retry.base_delay_ms'),
      maxDelayMs: n('retry.max_delay_ms'),
      pollMs: n('retry.poll_ms'),
    },
    dispatcherEnabled: raw['webhooks.dispatcher.enabled'] as boolean,
    dispatcherMetricsPort: raw['webhooks.dispatcher.metrics_port'] as number | null,
    natsStream: raw['webhooks.nats.stream'] as string,
  };
}

/** ConfigError stops start-up; its message names the key and where the bad value came from. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** envName maps a Portus key path to its variable: `delete.enabled` → `PORTCULLIS_DELETE_ENABLED`. */
export const envName = (path: string) => `PORTCULLIS_${path.replace(/\./g, '_').toUpperCase()}`;

type Raw = boolean | number | string | null;

function coerce(key: ConfigKey, value: unknown, source: string): Raw {
  const where = `${key.path} (${source})`;
  // Blank is absent: compose files and shells hand over `VAR=` or `VAR=" "` for settings they leave unset.
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) {
    if (key.default === null) return null;
    throw new ConfigError(`Invalid configuration: ${where} must not be empty`);
  }
  const text = String(value).trim();
  switch (key.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (/^(true|1|yes|on)$/i.test(text)) return true;
      if (/^(false|0|no|off)$/i.test(text)) return false;
      throw new ConfigError(`Invalid configuration: ${where} must be true or false, got "${text}"`);
    case 'integer': {
      if (!/^-?\d+$/.test(text))
        throw new ConfigError(`Invalid configuration: ${where} must be an integer, got "${text}"`);
      const n = Number(text);
      if ((key.min !== undefined && n < key.min) || (key.max !== undefined && n > key.max))
        throw new ConfigError(`Invalid configuration: ${where} must be between ${key.min} and ${key.max}, got ${n}`);
      return n;
    }
    case 'enum':
      if (!key.values?.includes(text))
        throw new ConfigError(
          `Invalid configuration: ${where} must be one of ${key.values?.join(', ')}, got "${text}"`,
        );
      return text;
    case 'url':
      try {
        new URL(text);
      } catch {
        throw new ConfigError(
          `Invalid configuration: ${where} must be a URL, got "${text.replace(/\/\/[^@/]*@/, '//***@')}"`,
        );
      }
      return text;
    case 'string':
      return text;
  }
}

function lookup(tree: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined),
      tree,
    );
}

/** flattenKeys lists every leaf path of a YAML tree, so unknown keys can be reported. */
function flattenKeys(tree: unknown, prefix = ''): string[] {
  if (!tree || typeof tree !== 'object' || Array.isArray(tree)) return prefix ? [prefix] : [];
  return Object.entries(tree as Record<string, unknown>).flatMap(([k, v]) =>
    flattenKeys(v, prefix ? `${prefix}.${k}` : k),
  );
}

/**
 * loadConfig reads defaults < YAML file (`PORTCULLIS_CONFIG_FILE`, else `<data_dir>/config.yml` when present)
 * < environment, validates every key and fails naming the first bad one. Unknown keys in the file are
 * an error too (a typo would otherwise silently keep a default), unknown PORTCULLIS_* variables are not,
 * because deployment tooling sets some of its own.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const fileFromEnv = env['PORTCULLIS_CONFIG_FILE'];
  const dataDirEnv = env[envName('data_dir')];
  const candidate = fileFromEnv ?? `${dataDirEnv ?? './data'}/config.yml`;
  let file: unknown = {};
  if (fileFromEnv || existsSync(candidate)) {
    if (!existsSync(candidate))
      throw new ConfigError(`Invalid configuration: PORTCULLIS_CONFIG_FILE ${candidate} does not exist`);
    try {
      file = parseYaml(readFileSync(candidate, 'utf8')) ?? {};
    } catch (e) {
      throw new ConfigError(`Invalid configuration: ${candidate} is not valid YAML: ${(e as Error).message}`);
    }
    const known = new Set(CONFIG_KEYS.map((k) => k.path));
    const unknown = flattenKeys(file).filter((p) => !known.has(p));
    if (unknown.length) throw new ConfigError(`Invalid configuration: unknown key ${unknown[0]} in ${candidate}`);
  }
  const raw: Record<string, Raw> = {};
  for (const key of CONFIG_KEYS) {
    const fromEnv = env[envName(key.path)];
    const fromFile = lookup(file, key.path);
    if (fromEnv !== undefined) raw[key.path] = coerce(key, fromEnv, envName(key.path));
    else if (fromFile !== undefined) raw[key.path] = coerce(key, fromFile, candidate);
    else raw[key.path] = key.default;
  }
  const b = (p: string) => raw[p] as boolean;
  const ldap = b('ldap.enabled') ? ldapConfig(raw) : null;
  const stores = storesConfig(raw);
  const metricsToken = raw['metrics.token'] as string | null;
  // Secrets leave `raw` (diagnostics) redacted; the value lives only in LdapConfig's Secret.
  for (const key of CONFIG_KEYS) if (key.secret && raw[key.path] !== null) raw[key.path] = '[redacted]';
  return {
    port: raw['port'] as number,
    host: raw['host'] as string,
    dataDir: raw['data_dir'] as string,
    eventStoreUrl: raw['eventstore_url'] as string | null,
    mongodbUrl: raw['mongodb_url'] as string | null,
    natsUrl: raw['nats_url'] as string | null,
    stores,
    logLevel: raw['log_level'] as AppConfig['logLevel'],
    machineFqdn: raw['machine_fqdn.value'] as string,
    anonymousBrowsing: b('anonymous_browsing.enabled'),
    perPage: raw['pagination.per_page'] as number,
    readYourWritesTimeoutMs: raw['read_your_writes.timeout_ms'] as number,
    embeddedProjector: b('projector.embedded'),
    projectorLease: projectorLease(raw['projector.lease_ms'] as number, raw['projector.lease_renew_ms'] as number),
    webhooks: webhooksConfig(raw),
    metricsToken,
    drainTimeoutMs: raw['shutdown.drain_timeout_ms'] as number,
    readyMaxLagSeconds: raw['health.ready.max_lag_seconds'] as number,
    jwtExpirationMinutes: raw['registry.jwt_expiration_time.value'] as number,
    registryToken: {
      algorithm: raw['registry.signing.algorithm'] as 'ES256' | 'RS256',
      keyPath: raw['registry.key_path'] as string | null,
      certPath: raw['registry.cert_path'] as string | null,
      keyReference: raw['registry.key_reference'] as 'kid' | 'x5c',
    },
    sessions: {
      idleTimeoutMinutes: raw['sessions.idle_timeout_minutes'] as number,
      absoluteTimeoutMinutes: raw['sessions.absolute_timeout_minutes'] as number,
    },
    trustProxy: raw['http.trust_proxy'] as string | null,
    lockout: {
      maxAttempts: raw['lockout.max_attempts'] as number,
      unlockAfterMinutes: raw['lockout.unlock_after_minutes'] as number,
    },
    rateLimit: {
      tokenPerMinute: raw['rate_limit.token.per_minute'] as number,
      sessionsPerMinute: raw['rate_limit.sessions.per_minute'] as number,
    },
    settings: {
      firstUserAdmin: b('first_user_admin.enabled'),
      signup: b('signup.enabled'),
      delete: { enabled: b('delete.enabled'), contributors: b('delete.contributors') },
      userPermission: {
        changeVisibility: b('user_permission.change_visibility.enabled'),
        createTeam: b('user_permission.create_team.enabled'),
        manageTeam: b('user_permission.manage_team.enabled'),
        createNamespace: b('user_permission.create_namespace.enabled'),
        manageNamespace: b('user_permission.manage_namespace.enabled'),
        createWebhook: b('user_permission.create_webhook.enabled'),
        manageWebhook: b('user_permission.manage_webhook.enabled'),
        pushImages: raw['user_permission.push_images.policy'] as Settings['userPermission']['pushImages'],
      },
      applicationTokensMax: raw['application_tokens.max'] as number,
      namespace: { autoCreateOnPush: b('namespace.auto_create_on_push.enabled') },
    },
    ldap,
    raw,
  };
}

/** ldapConfig checks what LDAP needs once it is enabled, naming the missing or bad key. */
function ldapConfig(raw: Record<string, Raw>): LdapConfig {
  const str = (p: string) => raw[p] as string | null;
  const required = (p: string) => {
    const v = str(p);
    if (!v) throw new ConfigError(`Invalid configuration: ${p} is required when ldap.enabled is true`);
    return v;
  };
  const uid = required('ldap.uid');
  if (!ATTRIBUTE_PATTERN.test(uid))
    throw new ConfigError(`Invalid configuration: ldap.uid must be an attribute name, got "${uid}"`);
  const attr = str('ldap.guess_email.attr');
  if (attr && !ATTRIBUTE_PATTERN.test(attr))
    throw new ConfigError(`Invalid configuration: ldap.guess_email.attr must be an attribute name, got "${attr}"`);
  const filter = str('ldap.filter');
  if (filter) {
    try {
      FilterParser.parseString(filter.trim().startsWith('(') ? filter.trim() : `(${filter.trim()})`);
    } catch (e) {
      throw new ConfigError(`Invalid configuration: ldap.filter is not an RFC 4515 filter: ${(e as Error).message}`);
    }
  }
  const caFile = str('ldap.encryption.ca_file');
  if (caFile && !existsSync(caFile))
    throw new ConfigError(`Invalid configuration: ldap.encryption.ca_file ${caFile} does not exist`);
  const bind = raw['ldap.authentication.enabled']
    ? {
        dn: required('ldap.authentication.bind_dn'),
        password: new Secret(required('ldap.authentication.password')),
      }
    : null;
  return {
    hostname: required('ldap.hostname'),
    port: raw['ldap.port'] as number,
    encryption: (str('ldap.encryption.method') ?? 'none') as LdapConfig['encryption'],
    caFile,
    base: required('ldap.base'),
    adminBase: str('ldap.admin_base'),
    filter,
    uid,
    bind,
    guessEmail: { enabled: raw['ldap.guess_email.enabled'] as boolean, attr },
    timeoutMs: (raw['ldap.timeout'] as number) * 1000,
    groupSync: {
      enabled: raw['ldap.group_sync.enabled'] as boolean,
      groupBase: str('ldap.group_base'),
      defaultRole: raw['ldap.group_sync.default_role'] as TeamRole,
      removeMembers: raw['ldap.group_sync.remove_members'] as boolean,
      intervalSeconds: raw['ldap.group_sync.interval_seconds'] as number,
    },
  };
}

/** APP_CONFIG is the Nest DI token for AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** projectorLease checks that renewals come often enough to keep the lease (at least two per lease length). */
function projectorLease(leaseMs: number, renewMs: number): AppConfig['projectorLease'] {
  if (renewMs * 2 > leaseMs)
    throw new ConfigError(
      `Invalid configuration: projector.lease_renew_ms (${envName('projector.lease_renew_ms')}: ${renewMs}) must be at most half of projector.lease_ms (${envName('projector.lease_ms')}: ${leaseMs})`,
    );
  return { leaseMs, renewMs };
}

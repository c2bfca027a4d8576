import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { type Settings } from '@portcullis/domain';
import { CONFIG_KEYS, type ConfigKey } from './config-schema';

/** AppConfig is the validated configuration the api runs with. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly eventStoreUrl: string | null;
  readonly mongodbUrl: string | null;
  readonly natsUrl: string | null;
  readonly logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  readonly machineFqdn: string;
  readonly anonymousBrowsing: boolean;
  readonly perPage: number;
  readonly readYourWritesTimeoutMs: number;
  readonly embeddedProjector: boolean;
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
  readonly settings: Settings;
  /** raw holds every key by its Portus path, for diagnostics (`portcullis config`). */
  readonly raw: Readonly<Record<string, boolean | number | string | null>>;
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
  if (value === null || value === undefined || value === '') {
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
  return {
    port: raw['port'] as number,
    host: raw['host'] as string,
    dataDir: raw['data_dir'] as string,
    eventStoreUrl: raw['eventstore_url'] as string | null,
    mongodbUrl: raw['mongodb_url'] as string | null,
    natsUrl: raw['nats_url'] as string | null,
    logLevel: raw['log_level'] as AppConfig['logLevel'],
    machineFqdn: raw['machine_fqdn.value'] as string,
    anonymousBrowsing: b('anonymous_browsing.enabled'),
    perPage: raw['pagination.per_page'] as number,
    readYourWritesTimeoutMs: raw['read_your_writes.timeout_ms'] as number,
    embeddedProjector: b('projector.embedded'),
    webhooks: webhooksConfig(raw),
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
    raw,
  };
}

/** APP_CONFIG is the Nest DI token for AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');

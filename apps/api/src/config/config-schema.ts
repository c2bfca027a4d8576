/**
 * ConfigKey describes one configuration key. Keys follow Portus's config.yml paths (architecture
 * rule 9) so a Portus operator's `PORTUS_<PATH>` settings carry over as `PORTCULLIS_<PATH>`.
 */
export interface ConfigKey {
  readonly path: string;
  readonly type: 'boolean' | 'integer' | 'string' | 'enum' | 'url';
  readonly default: boolean | number | string | null;
  readonly values?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly description: string;
}

/** CONFIG_KEYS is every key Portcullis reads; the README's configuration table is generated from it. */
export const CONFIG_KEYS: readonly ConfigKey[] = [
  {
    path: 'port',
    type: 'integer',
    default: 3000,
    min: 0,
    max: 65535,
    description: 'HTTP port of the api (0 picks a free one)',
  },
  { path: 'host', type: 'string', default: '127.0.0.1', description: 'address the api binds to' },
  {
    path: 'data_dir',
    type: 'string',
    default: './data',
    description: 'directory of the embedded SQLite event store and read models',
  },
  {
    path: 'eventstore_url',
    type: 'url',
    default: null,
    description: 'EventStoreDB connection string; unset = embedded SQLite event store',
  },
  {
    path: 'mongodb_url',
    type: 'url',
    default: null,
    description: 'MongoDB URL for read models; unset = embedded SQLite read models',
  },
  { path: 'nats_url', type: 'url', default: null, description: 'NATS URL for webhook fan-out; unset = in-process' },
  {
    path: 'log_level',
    type: 'enum',
    default: 'info',
    values: ['silent', 'error', 'warn', 'info', 'debug'],
    description: 'log verbosity',
  },
  {
    path: 'machine_fqdn.value',
    type: 'string',
    default: 'portcullis.test.lan',
    description: 'public name of this service (JWT issuer, links)',
  },
  {
    path: 'first_user_admin.enabled',
    type: 'boolean',
    default: true,
    description: 'the first user becomes admin; gates /api/v1/users/bootstrap',
  },
  { path: 'signup.enabled', type: 'boolean', default: true, description: 'self sign-up' },
  { path: 'delete.enabled', type: 'boolean', default: true, description: 'allow deleting images, tags, namespaces' },
  { path: 'delete.contributors', type: 'boolean', default: false, description: 'contributors may delete too' },
  {
    path: 'user_permission.change_visibility.enabled',
    type: 'boolean',
    default: true,
    description: 'namespace owners may change visibility',
  },
  {
    path: 'user_permission.create_team.enabled',
    type: 'boolean',
    default: true,
    description: 'non-admins may create teams',
  },
  {
    path: 'user_permission.manage_team.enabled',
    type: 'boolean',
    default: true,
    description: 'team owners may edit teams',
  },
  {
    path: 'user_permission.create_namespace.enabled',
    type: 'boolean',
    default: true,
    description: 'non-admins may create namespaces',
  },
  {
    path: 'user_permission.manage_namespace.enabled',
    type: 'boolean',
    default: true,
    description: 'owners may edit namespaces and change their team',
  },
  {
    path: 'user_permission.create_webhook.enabled',
    type: 'boolean',
    default: true,
    description: 'owners may create webhooks',
  },
  {
    path: 'user_permission.manage_webhook.enabled',
    type: 'boolean',
    default: true,
    description: 'owners may edit webhooks',
  },
  {
    path: 'user_permission.push_images.policy',
    type: 'enum',
    default: 'allow-teams',
    values: ['allow-teams', 'allow-personal', 'admin-only'],
    description: 'who may push (Portus semantics)',
  },
  {
    path: 'application_tokens.max',
    type: 'integer',
    default: 5,
    min: 1,
    max: 100,
    description: 'application tokens per user (Portus: 5)',
  },
  {
    path: 'registry.jwt_expiration_time.value',
    type: 'integer',
    default: 15,
    min: 1,
    max: 1440,
    description: 'registry token lifetime, minutes',
  },
  {
    path: 'registry.signing.algorithm',
    type: 'enum',
    default: 'ES256',
    values: ['ES256', 'RS256'],
    description: 'registry token signature; the generated key is P-256 or RSA-2048 to match',
  },
  {
    path: 'registry.key_path',
    type: 'string',
    default: null,
    description: 'PEM private key for registry tokens; unset = generated under data_dir/registry-token/',
  },
  {
    path: 'registry.cert_path',
    type: 'string',
    default: null,
    description: "PEM certificate (chain, leaf first) of registry.key_path; the registry's rootcertbundle",
  },
  {
    path: 'registry.key_reference',
    type: 'enum',
    default: 'kid',
    values: ['kid', 'x5c'],
    description: 'how tokens name their key: libtrust kid (distribution 2.x) or the x5c chain (CA bundles, 3.x)',
  },
  {
    path: 'namespace.auto_create_on_push.enabled',
    type: 'boolean',
    default: false,
    description: 'push into an unknown namespace creates it for users who may create one (decided, creation pending)',
  },
  {
    path: 'registry.pulls.coalesce_seconds',
    type: 'integer',
    default: 30,
    min: 1,
    max: 86400,
    description:
      'pull notifications are coalesced in memory: at most one last-pulled mark per tag per this many seconds',
  },
  {
    path: 'background.sync.enabled',
    type: 'boolean',
    default: true,
    description: 'reconcile the registry catalog with Portcullis (compensating events, never rewriting history)',
  },
  {
    path: 'background.sync.strategy',
    type: 'enum',
    default: 'initial',
    values: ['initial', 'on-start', 'update', 'update-delete'],
    description:
      "Portus's catalog sync strategy: initial (once, if no repositories), on-start (once), update, update-delete (every 20 s)",
  },
  {
    path: 'sessions.idle_timeout_minutes',
    type: 'integer',
    default: 30,
    min: 1,
    max: 10080,
    description: 'a UI session ends after this long without a request',
  },
  {
    path: 'sessions.absolute_timeout_minutes',
    type: 'integer',
    default: 720,
    min: 1,
    max: 43200,
    description: 'a UI session ends this long after login, active or not',
  },
  {
    path: 'http.trust_proxy',
    type: 'string',
    default: null,
    description:
      'Express trust proxy (e.g. loopback, 10.0.0.0/8): X-Forwarded-For/-Proto/-Host from these are believed (client IP, Secure cookies); unset = none',
  },
  {
    path: 'lockout.max_attempts',
    type: 'integer',
    default: 10,
    min: 1,
    max: 1000,
    description:
      'failed password logins (docker login or UI) within lockout.unlock_after_minutes that lock the account (Portus: 10)',
  },
  {
    path: 'lockout.unlock_after_minutes',
    type: 'integer',
    default: 10,
    min: 1,
    max: 10080,
    description: 'how long a lock lasts, and the window failures are counted in (Portus: 10)',
  },
  {
    path: 'rate_limit.token.per_minute',
    type: 'integer',
    default: 1200,
    min: 0,
    max: 1000000,
    description: 'requests per client IP per minute to /v2/token, per api replica; 0 = off',
  },
  {
    path: 'rate_limit.sessions.per_minute',
    type: 'integer',
    default: 30,
    min: 0,
    max: 1000000,
    description: 'login attempts (POST /api/v1/sessions) per client IP per minute, per api replica; 0 = off',
  },
  {
    path: 'webhooks.allowed_hosts',
    type: 'string',
    default: null,
    description:
      'comma-separated host names, IPs or CIDRs webhooks may reach although they are loopback, private, link-local or metadata addresses; unset = none',
  },
  {
    path: 'webhooks.key_path',
    type: 'string',
    default: null,
    description:
      'file with the 32-byte key (base64 or hex) that encrypts webhook passwords, secrets and header values; unset = generated as data_dir/secrets/webhooks.key',
  },
  {
    path: 'webhooks.timeout_ms',
    type: 'integer',
    default: 10000,
    min: 100,
    max: 120000,
    description: 'timeout of one webhook request (connect to last byte)',
  },
  {
    path: 'webhooks.response_max_bytes',
    type: 'integer',
    default: 16384,
    min: 0,
    max: 1048576,
    description: 'bytes of a receiver response read and kept in the delivery log; the rest is discarded',
  },
  {
    path: 'webhooks.retry.max_attempts',
    type: 'integer',
    default: 10,
    min: 1,
    max: 100,
    description: 'attempts per delivery before it is dead-lettered',
  },
  {
    path: 'webhooks.retry.max_hours',
    type: 'integer',
    default: 24,
    min: 1,
    max: 720,
    description: 'a delivery still failing this long after it was first scheduled is dead-lettered',
  },
  {
    path: 'webhooks.retry.base_delay_ms',
    type: 'integer',
    default: 2000,
    min: 1,
    max: 3600000,
    description: 'first retry delay; doubles per attempt, half of it jittered',
  },
  {
    path: 'webhooks.retry.max_delay_ms',
    type: 'integer',
    default: 3600000,
    min: 1,
    max: 86400000,
    description: 'longest delay between two attempts',
  },
  {
    path: 'webhooks.retry.poll_ms',
    type: 'integer',
    default: 1000,
    min: 10,
    max: 60000,
    description: 'how often the dispatcher looks for deliveries whose retry is due',
  },
  {
    path: 'webhooks.dispatcher.enabled',
    type: 'boolean',
    default: true,
    description:
      'run the webhook dispatcher in the api process (off on api replicas when dispatchers run as their own processes)',
  },
  {
    path: 'webhooks.nats.stream',
    type: 'string',
    default: 'PORTCULLIS_EVENTS',
    description: 'JetStream stream the events are published to (subjects <stream in lower case>.<event type>)',
  },
  {
    path: 'anonymous_browsing.enabled',
    type: 'boolean',
    default: true,
    description: 'logged-out users may browse public namespaces',
  },
  {
    path: 'pagination.per_page',
    type: 'integer',
    default: 15,
    min: 1,
    max: 1000,
    description: 'default page size of API lists',
  },
  {
    path: 'read_your_writes.timeout_ms',
    type: 'integer',
    default: 5000,
    min: 0,
    max: 60000,
    description: 'how long a command waits for read models to show its change',
  },
  {
    path: 'projector.embedded',
    type: 'boolean',
    default: false,
    description: 'run the projections inside the api process (tests, single-process set-ups)',
  },
];

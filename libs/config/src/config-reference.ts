import { CONFIG_KEYS, type ConfigKey } from './config-schema';
import { envName } from './load-config';

/**
 * SECTIONS groups the keys of docs/configuration.md by what an operator is setting up; a key goes to the first
 * section one of whose prefixes it equals or starts with (`prefix.`), in CONFIG_KEYS order. A key no prefix
 * matches lands in "Other keys", so a new key is documented even before someone places it.
 */
const SECTIONS: readonly { readonly title: string; readonly intro: string; readonly prefixes: readonly string[] }[] = [
  {
    title: 'Process and network',
    intro: 'Where the api listens, where the embedded stores live, the public name, logs, probes and metrics.',
    prefixes: ['port', 'host', 'data_dir', 'machine_fqdn', 'log_level', 'http', 'shutdown', 'health', 'metrics'],
  },
  {
    title: 'Stores, bus and projections',
    intro:
      'Unset URLs mean the embedded SQLite stores and the in-process bus; [operations.md](operations.md#distributed-stores) has connection strings and failure behaviour.',
    prefixes: [
      'eventstore_url',
      'mongodb_url',
      'nats_url',
      'eventstore',
      'mongodb',
      'nats',
      'projector',
      'read_your_writes',
    ],
  },
  {
    title: 'Users, teams and permissions',
    intro: "Portus's switches, with Portus's defaults.",
    prefixes: [
      'first_user_admin',
      'signup',
      'anonymous_browsing',
      'delete',
      'user_permission',
      'application_tokens',
      'pagination',
    ],
  },
  {
    title: 'Registry and tokens',
    intro: '`/v2/token`, the signing key the registry trusts, notifications and the catalog sync.',
    prefixes: ['registry', 'namespace', 'background'],
  },
  {
    title: 'Sign-in, sessions and lockout',
    intro: 'UI sessions, brute-force lockout and per-IP rate limits (ADR 0006).',
    prefixes: ['sessions', 'lockout', 'rate_limit'],
  },
  {
    title: 'Webhooks',
    intro: 'Delivery, retries, the SSRF guard and the dispatcher (ADR 0007).',
    prefixes: ['webhooks'],
  },
  {
    title: 'LDAP',
    intro: 'Login against a directory and group → team sync (ADR 0005).',
    prefixes: ['ldap'],
  },
];

const HEADER = `# Configuration reference

<!-- Generated from libs/config/src/config-schema.ts by \`npm run docs:config\`; edit the schema, not this file.
     \`npm test\` fails when the two differ (libs/config/src/config-reference.unit.spec.ts). -->

Every key Portcullis reads. Keys follow Portus's \`config.yml\` paths; the environment variable is \`PORTCULLIS_\` +
the path in capitals with \`.\` → \`_\` (Portus used \`PORTUS_\`).

- **Precedence**: environment > YAML file > default. The file is \`PORTCULLIS_CONFIG_FILE\`, else
  \`<data_dir>/config.yml\` when it exists; it nests the path (\`delete.enabled\` is \`enabled\` under \`delete\`, as below).
- A bad value, or an unknown key in the file, stops start-up with a message naming the key. A blank variable
  counts as unset. Unknown \`PORTCULLIS_*\` variables are not checked (deployment tooling sets its own).
- The api, the projector and the stand-alone webhook dispatcher read the same configuration (\`libs/config\`),
  so a store URL or an adapter setting means the same in every process.
- Secrets are never echoed, in errors or logs.

\`\`\`yaml
# <data_dir>/config.yml
machine_fqdn:
  value: registry.example.com
delete:
  contributors: true
webhooks:
  allowed_hosts: ci.internal,10.0.0.0/8
\`\`\`

The same from the environment:

\`\`\`sh
PORTCULLIS_MACHINE_FQDN_VALUE=registry.example.com PORTCULLIS_DELETE_CONTRIBUTORS=true \\
  PORTCULLIS_WEBHOOKS_ALLOWED_HOSTS=ci.internal,10.0.0.0/8 npm start
\`\`\`
`;

/** typeOf is a key's type and range as the reference shows it. */
function typeOf(key: ConfigKey): string {
  switch (key.type) {
    case 'integer':
      if (key.min !== undefined && key.max !== undefined) return `integer ${key.min}–${key.max}`;
      if (key.min !== undefined) return `integer ≥ ${key.min}`;
      if (key.max !== undefined) return `integer ≤ ${key.max}`;
      return 'integer';
    case 'enum':
      return `one of ${(key.values ?? []).map((v) => `\`${v}\``).join(', ')}`;
    case 'url':
      return 'URL';
    default:
      return key.type;
  }
}

const defaultOf = (key: ConfigKey) => (key.default === null ? 'unset' : `\`${String(key.default)}\``);

const inSection = (path: string, prefixes: readonly string[]) =>
  prefixes.some((p) => path === p || path.startsWith(`${p}.`));

function entry(key: ConfigKey): string {
  const facts = [`\`${envName(key.path)}\``, typeOf(key), `default ${defaultOf(key)}`];
  if (key.secret) facts.push('secret (shown as `[redacted]`)');
  return `- **\`${key.path}\`** · ${facts.join(' · ')}\\\n  ${key.description}`;
}

/**
 * renderConfigReference is the whole of docs/configuration.md for these keys: the rules, then one entry per key
 * (path, variable, type and range, default, description) grouped by SECTIONS. Pure; tools/docs-config.mjs writes
 * it and config-reference.unit.spec.ts compares it with the committed file.
 */
export function renderConfigReference(keys: readonly ConfigKey[] = CONFIG_KEYS): string {
  const placed = new Set<string>();
  const sections = [...SECTIONS, { title: 'Other keys', intro: '', prefixes: [] as readonly string[] }].map(
    (section) => {
      const mine = keys.filter(
        (k) => !placed.has(k.path) && (section.prefixes.length === 0 || inSection(k.path, section.prefixes)),
      );
      mine.forEach((k) => placed.add(k.path));
      return { ...section, keys: mine };
    },
  );
  const body = sections
    .filter((s) => s.keys.length > 0)
    .map((s) => [`## ${s.title}`, ...(s.intro ? [s.intro] : []), s.keys.map(entry).join('\n')].join('\n\n'));
  return `${[HEADER.trimEnd(), ...body].join('\n\n')}\n`;
}

import { Client } from 'ldapts';

/**
 * The directory tools/slapd/start.sh builds (registry-interop §7); `npm test` starts it once and sets
 * LDAP_TEST_URL. Specs that need it call `ldapSuite()`, which skips them with a printed reason when
 * the variable is not set.
 */
export const SLAPD = {
  base: 'dc=example,dc=org',
  people: 'ou=people,dc=example,dc=org',
  admins: 'ou=admins,dc=example,dc=org',
  groups: 'ou=groups,dc=example,dc=org',
  serviceDn: 'cn=portcullis,dc=example,dc=org',
  servicePassword: 'portcullis-service',
  rootDn: 'cn=admin,dc=example,dc=org',
  rootPassword: 'adminpw',
} as const;

export const ldapTestUrl = (): string | null => process.env['LDAP_TEST_URL'] || null;

/** requireLdapUrl is the URL inside an `ldapSuite` (which only runs when it is set). */
export function requireLdapUrl(): string {
  const url = ldapTestUrl();
  if (!url) throw new Error('LDAP_TEST_URL is not set');
  return url;
}

/** ldapSuite is `describe` when slapd is available, else `describe.skip` with the reason printed once. */
export function ldapSuite(name: string): jest.Describe {
  if (ldapTestUrl()) return describe;
  process.stdout.write(`${name}: LDAP_TEST_URL not set (tools/slapd/start.sh), suite skipped\n`);
  return describe.skip;
}

/** ldapEnv configures Portcullis for the fixture directory at `url` (search as the service account). */
export function ldapEnv(url: string, extra: Record<string, string> = {}): Record<string, string> {
  const u = new URL(url);
  return {
    PORTCULLIS_LDAP_ENABLED: 'true',
    PORTCULLIS_LDAP_HOSTNAME: u.hostname,
    PORTCULLIS_LDAP_PORT: u.port,
    PORTCULLIS_LDAP_BASE: SLAPD.base,
    PORTCULLIS_LDAP_ADMIN_BASE: SLAPD.admins,
    PORTCULLIS_LDAP_AUTHENTICATION_ENABLED: 'true',
    PORTCULLIS_LDAP_AUTHENTICATION_BIND_DN: SLAPD.serviceDn,
    PORTCULLIS_LDAP_AUTHENTICATION_PASSWORD: SLAPD.servicePassword,
    PORTCULLIS_LDAP_TIMEOUT: '2',
    ...extra,
  };
}

/** asRoot runs directory changes as cn=admin (groups must be added online for the memberof overlay). */
export async function asRoot<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url: requireLdapUrl(), timeout: 10_000 });
  try {
    await client.bind(SLAPD.rootDn, SLAPD.rootPassword);
    return await work(client);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** addPerson adds an inetOrgPerson with a password under `ou` (a DN under the fixture's base). */
export async function addPerson(client: Client, dn: string, uid: string, password: string, mail?: string) {
  await client.add(dn, {
    objectClass: ['inetOrgPerson'],
    cn: uid,
    sn: uid,
    uid,
    userPassword: password,
    ...(mail ? { mail } : {}),
  });
}

/** ensureOu creates an organizational unit if it is missing (specs share one slapd, so each uses its own). */
export async function ensureOu(client: Client, dn: string) {
  const ou = dn.split(',')[0].split('=')[1];
  await client.add(dn, { objectClass: ['organizationalUnit'], ou }).catch((e: Error) => {
    if (!/already exists|AlreadyExists/i.test(`${e.name} ${e.message}`)) throw e;
  });
}

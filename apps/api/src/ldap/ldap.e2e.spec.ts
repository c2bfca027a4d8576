import { randomBytes } from 'node:crypto';
import { Attribute, Change } from 'ldapts';
import { EVENT_STORE, type EventStore } from '@portcullis/persistence';
import { startApi, type TestApi } from '../testing/harness';
import { LdapProxy } from '../testing/ldap-proxy';
import { addPerson, asRoot, ensureOu, ldapEnv, ldapSuite, requireLdapUrl, SLAPD } from '../testing/slapd';
import { ReadSide } from '../platform/read-side';
import { LdapDirectory } from './ldap-directory';
import { LdapGroupSync } from './ldap-group-sync';

// Against a real slapd (tools/slapd/start.sh, started once by `npm test`), through a counting TCP proxy
// so each test can say what reached the directory and what did not.
jest.setTimeout(60_000);
const suite = ldapSuite('ldap.e2e');
const run = randomBytes(3).toString('hex'); // specs share one slapd across runs: names are per run
const SERVICE = 'registry.test:5000';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as {
    sub: string;
    access: Array<{ name: string; actions: string[] }>;
  };

suite('LDAP login (real slapd)', () => {
  let api: TestApi;
  let proxy: LdapProxy;
  const token = (user: string, password: string, scope = `repository:${user}/app:pull,push`) =>
    api.http.get('/v2/token').query({ service: SERVICE, scope }).set('Authorization', basic(user, password));
  const userNamed = async (username: string) =>
    (await api.http.get('/api/v1/users').set('Portus-Auth', api.admin).query({ all: true })).body.find(
      (u: { username: string }) => u.username === username,
    );

  beforeAll(async () => {
    proxy = await LdapProxy.start(requireLdapUrl());
    await asRoot(async (c) => {
      await ensureOu(c, `ou=run${run},${SLAPD.people}`);
      for (const name of ['many', 'none', 'erin', 'frank'])
        await addPerson(c, `uid=${name}${run},ou=run${run},${SLAPD.people}`, `${name}${run}`, `${name}-password`);
    });
    api = await startApi(
      ldapEnv(proxy.url, { PORTCULLIS_LDAP_GUESS_EMAIL_ENABLED: 'true', PORTCULLIS_LDAP_GUESS_EMAIL_ATTR: 'mail' }),
    );
  });
  afterAll(async () => {
    await api?.close();
    await proxy?.down();
  });
  beforeEach(() => proxy.reset());

  it('a first login through /v2/token creates the user with a personal namespace and pushes there', async () => {
    const res = await token('alice', 'alice-password').expect(200);
    expect(claimsOf(res.body.token)).toMatchObject({
      sub: 'alice',
      access: [{ name: 'alice/app', actions: ['pull', 'push'] }],
    });
    expect(await userNamed('alice')).toMatchObject({ admin: false, email: 'alice@example.org', bot: false });
    const ns = await api.app.get(ReadSide).namespaceByName('alice');
    expect(ns).toMatchObject({ kind: 'personal', visibility: 'private' });
  });

  it('a known LDAP user costs one connection, two binds, one search, and no write', async () => {
    await token('alice', 'alice-password').expect(200);
    const head = await api.app.get<EventStore>(EVENT_STORE).headPosition();
    proxy.reset();
    await token('alice', 'alice-password').expect(200);
    expect(proxy.ops).toMatchObject({ connections: 1, bind: 2, search: 1 });
    expect(await api.app.get<EventStore>(EVENT_STORE).headPosition()).toBe(head);
  });

  it('a user bound under admin_base becomes admin; an escaped-comma DN does not', async () => {
    await token('carol', 'carol-password').expect(200);
    expect(await userNamed('carol')).toMatchObject({ admin: true });
    // mallory's DN is `cn=mallory\2Cou\3Dadmins,ou=people,…`: it contains "ou=admins" but is not under it.
    await token('mallory', 'mallory-password').expect(200);
    expect(await userNamed('mallory')).toMatchObject({ admin: false });
  });

  it('a user without the email attribute gets none (allowed only for LDAP users)', async () => {
    await token('bob', 'bob-password').expect(200);
    expect(await userNamed('bob')).toMatchObject({ email: null });
  });

  it('a wrong LDAP password is a 401 in the registry format', async () => {
    const res = await token('alice', 'not-alices-password').expect(401);
    expect(res.body).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: expect.any(String) }] });
    expect(proxy.ops.bind).toBe(2); // the service bind, then alice's failed bind
  });

  it('an empty password never reaches LDAP', async () => {
    await token('alice', '').expect(401);
    await token('newcomer', '').expect(401);
    expect(proxy.ops.connections).toBe(0);
  });

  // [username, why] — each would match someone if it reached the filter unescaped.
  const hostile: Array<[string, string]> = [
    ['*', 'wildcard: every entry'],
    ['al*', 'prefix wildcard: alice'],
    ['alice)(uid=*', 'closes the equality, ORs in a match-all'],
    ['*)(|(objectClass=*', 'classic injection'],
    ['alice\\2a', 'smuggled escape'],
    ['uid=alice,ou=people,dc=example,dc=org', 'a DN as the username'],
    ['portus', 'system name (Portus skipped LDAP for it)'],
  ];
  it.each(hostile)('refuses %j (%s) without asking LDAP', async (username) => {
    await token(username, 'alice-password', 'registry:catalog:*').expect(401);
    expect(proxy.ops.connections).toBe(0);
  });

  it.each(hostile.slice(0, 5))('the filter escaping alone keeps %j from matching (the second wall)', async (name) => {
    expect(await api.app.get(LdapDirectory).authenticate(name, 'alice-password')).toBeNull();
  });

  it('a local account never goes to LDAP, even when an entry shares its name', async () => {
    await api.user(`erin${run}`); // local password password1234; the directory has erin<run> with another
    await token(`erin${run}`, 'password1234', 'registry:catalog:*').expect(200);
    await token(`erin${run}`, 'erin-password', 'registry:catalog:*').expect(401);
    expect(proxy.ops.connections).toBe(0);
  });

  it('two first logins at once make one user', async () => {
    const [a, b] = await Promise.all([token(`frank${run}`, 'frank-password'), token(`frank${run}`, 'frank-password')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const users = (await api.http.get('/api/v1/users').set('Portus-Auth', api.admin).query({ all: true })).body;
    expect(users.filter((u: { username: string }) => u.username === `frank${run}`)).toHaveLength(1);
  });

  it('a user in 500 groups costs the token path exactly what a user in none does', async () => {
    await asRoot(async (c) => {
      await ensureOu(c, `ou=bulk${run},${SLAPD.groups}`);
      for (let i = 0; i < 500; i++)
        await c.add(`cn=g${i},ou=bulk${run},${SLAPD.groups}`, {
          objectClass: 'groupOfNames',
          cn: `g${i}`,
          member: `uid=many${run},ou=run${run},${SLAPD.people}`,
        });
    });
    await token(`many${run}`, 'many-password').expect(200); // first logins (creation) out of the way
    await token(`none${run}`, 'none-password').expect(200);
    proxy.reset();
    await token(`many${run}`, 'many-password').expect(200);
    const many = { ...proxy.ops };
    proxy.reset();
    await token(`none${run}`, 'none-password').expect(200);
    const none = { ...proxy.ops };
    expect(many).toMatchObject({ connections: 1, bind: 2, search: 1 });
    expect(none).toMatchObject({ connections: 1, bind: 2, search: 1 });
    // Same answer size: no memberOf (500 DNs, ~25 KiB) is ever fetched on the token path.
    expect(Math.abs(many.bytesFromServer - none.bytesFromServer)).toBeLessThan(16);
  });

  it('with LDAP down, local accounts still get tokens and health says ldap is down', async () => {
    await proxy.down();
    try {
      await token('admin', 'password1234', 'registry:catalog:*').expect(200);
      await token('alice', 'alice-password').expect(401);
      const health = await api.http.get('/api/v1/health').expect(503);
      expect(health.body.ldap).toMatchObject({ success: false, msg: expect.stringMatching(/unavailable/) });
      expect(health.body.database.success).toBe(true);
      expect(JSON.stringify(health.body)).not.toContain(SLAPD.servicePassword);
    } finally {
      await proxy.up();
    }
    const health = await api.http.get('/api/v1/health').expect(200);
    expect(health.body.ldap).toMatchObject({ success: true });
  });
});

suite('LDAP group → team sync (real slapd)', () => {
  let api: TestApi;
  const groupBase = `ou=sync${run},${SLAPD.groups}`;
  const devs = `cn=devs${run},${groupBase}`;
  const qa = `cn=qa${run},${groupBase}`;
  const alice = `uid=alice,${SLAPD.people}`;
  const bob = `uid=bob,${SLAPD.people}`;
  const carol = `uid=carol,${SLAPD.admins}`;
  const members = async (team: string) => {
    const read = api.app.get(ReadSide);
    const t = await read.teamByName(team);
    if (!t) return null;
    const rows = await read.members(t['id'] as number);
    const names = await Promise.all(
      rows.map(async (r) => `${(await read.user(r['user_id'] as number))?.['username']}:${r['role']}`),
    );
    return names.sort();
  };
  const sync = async () => {
    const report = await api.app.get(LdapGroupSync).runOnce();
    await api.app.get(ReadSide).waitFor(await api.app.get<EventStore>(EVENT_STORE).headPosition());
    return report;
  };

  beforeAll(async () => {
    await asRoot(async (c) => {
      await ensureOu(c, groupBase);
      await c.add(devs, { objectClass: 'groupOfNames', cn: `devs${run}`, member: [alice, bob] });
      await c.add(qa, { objectClass: 'groupOfUniqueNames', cn: `qa${run}`, uniqueMember: [`${carol}#'0101'B`] });
    });
    api = await startApi(
      ldapEnv(requireLdapUrl(), {
        PORTCULLIS_LDAP_GROUP_BASE: groupBase,
        PORTCULLIS_LDAP_GROUP_SYNC_DEFAULT_ROLE: 'contributor',
      }),
    );
    for (const [u, p] of [
      ['alice', 'alice-password'],
      ['bob', 'bob-password'],
      ['carol', 'carol-password'],
    ])
      await api.http.get('/v2/token').query({ service: SERVICE }).set('Authorization', basic(u, p)).expect(200);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('creates teams for groupOfNames and groupOfUniqueNames and adds members (admins as owners)', async () => {
    const report = await sync();
    expect(report).toMatchObject({ groups: 2, teamsCreated: 2, added: 3, removed: 0, skipped: [] });
    expect(await members(`devs${run}`)).toEqual(['admin:owner', 'alice:contributor', 'bob:contributor']);
    expect(await members(`qa${run}`)).toEqual(['admin:owner', 'carol:owner']);
  });

  it('is idempotent', async () => {
    expect(await sync()).toMatchObject({ teamsCreated: 0, added: 0, removed: 0 });
  });

  it('removes a member who left the group, and records the group as the cause', async () => {
    const change = new Change({ operation: 'delete', modification: new Attribute({ type: 'member', values: [bob] }) });
    await asRoot((c) => c.modify(devs, [change]));
    expect(await sync()).toMatchObject({ added: 0, removed: 1 });
    expect(await members(`devs${run}`)).toEqual(['admin:owner', 'alice:contributor']);
    const activities = await api.app.get(ReadSide).store.collection('activities').find({ key: 'team.remove_member' });
    expect(activities.at(-1)).toMatchObject({
      parameters: { team: `devs${run}`, team_user: 'bob', cause: { ldapGroup: devs } },
    });
  });
});

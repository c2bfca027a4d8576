import { X509Certificate } from 'node:crypto';
import { decodeProtectedHeader, importX509, jwtVerify, type JWTPayload } from 'jose';
import { startApi, type TestApi } from '../testing/harness';
import { libtrustKeyId } from './libtrust-kid';
import { TOKEN_ISSUER, type TokenIssuer } from './token-issuer.port';

const SERVICE = 'registry.test:5000';
const PASSWORD = 'password1234';

interface Access {
  type: string;
  name: string;
  actions: string[];
}

/**
 * Token endpoint against a real api: portus-reference "Behaviours an acceptance test should check"
 * 1–15 and 17, and registry-interop §4–§5. Every token is verified with jose against the certificate
 * the registry would be given, and its header `kid` against the libtrust id of that certificate.
 */
describe('registry token endpoint (/v2/token)', () => {
  let api: TestApi;
  const tokens: Record<string, string> = {}; // username → application token
  const ids: Record<string, number> = {};

  const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

  /** get asks for a token; `scopes` become repeated `scope=` parameters, exactly as skopeo sends them. */
  function get(auth: string | null, scopes: string[], extra: Record<string, string> = {}) {
    const q = new URLSearchParams({ service: SERVICE, ...extra });
    for (const s of scopes) q.append('scope', s);
    const req = api.http.get(`/v2/token?${q.toString()}`);
    if (auth) req.set('Authorization', auth);
    return req;
  }

  /** verify checks signature, iss, aud and the header's kid; returns the claims. */
  async function verify(token: string, audience = SERVICE): Promise<JWTPayload & { access?: Access[] }> {
    const issuer = api.app.get<TokenIssuer>(TOKEN_ISSUER);
    const pem = await issuer.rootCertBundlePem();
    const header = decodeProtectedHeader(token);
    const key = await importX509(pem, header.alg as string);
    const { payload } = await jwtVerify(token, key, { issuer: api.config.machineFqdn, audience });
    if (header.x5c === undefined) expect(header.kid).toBe(libtrustKeyId(new X509Certificate(pem).publicKey));
    return payload as JWTPayload & { access?: Access[] };
  }

  /** access returns the granted actions of a user for the scopes (using the user's password). */
  async function access(user: string | null, scopes: string[], extra: Record<string, string> = {}) {
    const res = await get(user ? basic(user, PASSWORD) : null, scopes, extra);
    if (res.status !== 200) throw new Error(`expected 200, got ${res.status} ${res.text}`);
    return (await verify(res.body.token, extra['service'] ?? SERVICE)).access;
  }

  const grant = (name: string, actions: string[]): Access[] => [{ type: 'repository', name, actions }];

  async function setVisibility(name: string, visibility: string) {
    const all = await api.http.get('/api/v1/namespaces?all=true').set('Portus-Auth', api.admin).expect(200);
    const ns = (all.body as Array<{ id: number; name: string }>).find((n) => n.name === name);
    await api.http
      .put(`/api/v1/namespaces/${ns?.id}`)
      .set('Portus-Auth', api.admin)
      .send({ namespace: { visibility } })
      .expect(200);
  }

  beforeAll(async () => {
    api = await startApi();
    for (const name of ['owen', 'cora', 'vic', 'nina', 'erin']) {
      const u = await api.user(name);
      tokens[name] = u.auth.slice(name.length + 1);
      ids[name] = u.id;
    }
    const owen = `owen:${tokens['owen']}`;
    await api.http.post('/api/v1/teams').set('Portus-Auth', owen).send({ name: 'devs' }).expect(201);
    const team = (await api.http.get('/api/v1/teams').set('Portus-Auth', owen)).body[0];
    for (const [user, role] of [
      ['cora', 'contributor'],
      ['vic', 'viewer'],
    ])
      await api.http.post(`/api/v1/teams/${team.id}/members`).set('Portus-Auth', owen).send({ user, role }).expect(201);
    for (const name of ['team', 'prot', 'pub'])
      await api.http.post('/api/v1/namespaces').set('Portus-Auth', owen).send({ name, team: 'devs' }).expect(201);
    await setVisibility('prot', 'protected');
    await setVisibility('pub', 'public');
    await api.http
      .put(`/api/v1/users/${ids['erin']}/enabled`)
      .set('Portus-Auth', api.admin)
      .send({ enabled: false })
      .expect(200);
  });
  afterAll(() => api.close());

  it('1: a login (no scope) gets 200 with exactly the four fields and a token without `access`', async () => {
    const res = await get(basic('owen', PASSWORD), [], { account: 'owen' }).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_in', 'issued_at', 'token']);
    expect(res.body.access_token).toBe(res.body.token);
    expect(res.body.expires_in).toBe(900);
    expect(Number.isInteger(res.body.expires_in)).toBe(true);
    expect(res.body.issued_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const claims = await verify(res.body.token);
    expect(claims).not.toHaveProperty('access');
    expect(claims).toMatchObject({ iss: 'portcullis.test.lan', aud: SERVICE, sub: 'owen' });
    expect(typeof claims.aud).toBe('string'); // an array is refused by distribution 2.8
    for (const c of [claims.iat, claims.nbf, claims.exp]) expect(Number.isInteger(c)).toBe(true);
    expect(claims.nbf).toBe((claims.iat as number) - 5);
    expect(claims.exp).toBe((claims.iat as number) + 900);
    expect(Date.parse(res.body.issued_at) / 1000).toBe(claims.iat);
    expect(typeof claims.jti).toBe('string');
    expect(decodeProtectedHeader(res.body.token)).toMatchObject({ alg: 'ES256', typ: 'JWT' });
  });

  it('2: wrong password, unknown user and disabled user get 401 in the registry error format', async () => {
    for (const auth of [basic('owen', 'wrong-password'), basic('ghost', PASSWORD), basic('erin', PASSWORD)]) {
      const res = await get(auth, ['repository:pub/img:pull']).expect(401);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] });
    }
    await get(basic('erin', tokens['erin']), ['repository:pub/img:pull']).expect(401); // disabled: tokens too
    await get('Bearer abc', []).expect(401); // only Basic
  });

  it('3: anonymous pulls public, gets nothing on private or protected', async () => {
    expect(await access(null, ['repository:pub/img:pull,push'])).toEqual(grant('pub/img', ['pull']));
    expect(await access(null, ['repository:team/img:pull'])).toEqual([]);
    expect(await access(null, ['repository:prot/img:pull'])).toEqual([]);
    const res = await get(null, ['repository:pub/img:pull']).expect(200);
    expect((await verify(res.body.token)).sub).toBe('');
  });

  it('4: a logged-in non-member pulls protected, nothing on private', async () => {
    expect(await access('nina', ['repository:prot/img:pull,push'])).toEqual(grant('prot/img', ['pull']));
    expect(await access('nina', ['repository:team/img:pull'])).toEqual([]);
  });

  it('5: a viewer asking push,pull gets only pull', async () =>
    expect(await access('vic', ['repository:team/img:push,pull'])).toEqual(grant('team/img', ['pull'])));

  it('6: a contributor gets push,pull but not `*` or delete', async () => {
    expect(await access('cora', ['repository:team/img:push,pull'])).toEqual(grant('team/img', ['pull', 'push']));
    expect(await access('cora', ['repository:team/img:*'])).toEqual([]);
    expect(await access('cora', ['repository:team/img:delete'])).toEqual([]);
  });

  it('7: an owner gets push,pull,*', async () =>
    expect(await access('owen', ['repository:team/img:push,pull,*'])).toEqual(
      grant('team/img', ['*', 'pull', 'push']),
    ));

  it('8: U gets push,pull on U/img; V nothing there while it is private', async () => {
    expect(await access('owen', ['repository:owen/img:push,pull'])).toEqual(grant('owen/img', ['pull', 'push']));
    expect(await access('nina', ['repository:owen/img:push,pull,*'])).toEqual([]);
  });

  it('9: a non-admin pulls but cannot push a global repo; an admin does both', async () => {
    expect(await access('nina', ['repository:busybox:push,pull'])).toEqual(grant('busybox', ['pull']));
    const res = await get(basic('admin', PASSWORD), ['repository:busybox:push,pull']).expect(200);
    expect((await verify(res.body.token)).access).toEqual(grant('busybox', ['pull', 'push']));
  });

  it('11: the catalog is for admins (`*`); others get access: []', async () => {
    const res = await get(basic('admin', PASSWORD), ['registry:catalog:*']).expect(200);
    expect((await verify(res.body.token)).access).toEqual([{ type: 'registry', name: 'catalog', actions: ['*'] }]);
    expect(await access('owen', ['registry:catalog:*'])).toEqual([]);
    expect(await access(null, ['registry:catalog:*'])).toEqual([]);
  });

  it('12: a malformed scope is 401 with a message naming it; unknown actions and types are dropped', async () => {
    for (const scope of ['whale:foo', 'repository:*:pull', 'repository:ns/../x:pull', 'repository:a/b:PULL']) {
      const res = await get(basic('owen', PASSWORD), [scope]).expect(401);
      expect(res.body.errors[0].code).toBe('UNAUTHORIZED');
      expect(res.body.errors[0].message).toContain(`malformed scope ${JSON.stringify(scope)}`);
    }
    expect(await access('owen', ['repository:team/img:fork,pull'])).toEqual(grant('team/img', ['pull']));
    // NOTE: Portus answered 401 to an unknown type; distribution's grammar allows any type, so it is dropped.
    expect(await access('owen', ['lala:x:y', 'repository:team/img:pull'])).toEqual(grant('team/img', ['pull']));
  });

  it('13: two scope params for one repository merge into one entry; so do duplicates', async () => {
    expect(await access('owen', ['repository:team/img:push', 'repository:team/img:pull'])).toEqual(
      grant('team/img', ['pull', 'push']),
    );
    expect(await access('owen', ['repository:team/img:pull', 'repository:team/img:pull'])).toEqual(
      grant('team/img', ['pull']),
    );
  });

  it('several space-separated scopes in one value (OCI conformance suite, POST form)', async () =>
    expect(await access('owen', ['repository:team/a:pull repository:pub/b:pull'])).toEqual([
      ...grant('team/a', ['pull']),
      ...grant('pub/b', ['pull']),
    ]));

  it('14: an unknown service gets access: [] even for admins and even without scopes', async () => {
    const res = await get(basic('admin', PASSWORD), ['repository:busybox:pull'], { service: 'other:5000' });
    expect((await verify(res.body.token, 'other:5000')).access).toEqual([]);
    expect(await access('owen', [], { service: 'other:5000' })).toEqual([]);
    expect(await access('owen', [], { service: '' })).toEqual([]);
  });

  it('15: an application token as the Basic password works; a wrong one is 401', async () => {
    const res = await get(basic('cora', tokens['cora']), ['repository:team/img:push,pull']).expect(200);
    expect((await verify(res.body.token)).access).toEqual(grant('team/img', ['pull', 'push']));
    await get(basic('cora', `${tokens['cora']}x`), ['repository:team/img:pull']).expect(401);
    await get(basic('vic', tokens['cora']), ['repository:team/img:pull']).expect(401); // another user's token
  });

  it('a revocation, a team change and a disabled user are seen by the very next token request (memoised index)', async () => {
    const pull = ['repository:pub/img:pull'];
    const robo = await api.user('robo', { bot: true });
    const secret = robo.auth.slice('robo:'.length);
    // Warm: from the second request on, the credential comes from the in-memory index's memo.
    for (let i = 0; i < 3; i++) await get(basic('robo', secret), pull).expect(200);
    const form = (fields: Record<string, string>) =>
      api.http
        .post('/v2/token')
        .type('form')
        .send(new URLSearchParams({ service: SERVICE, ...fields }).toString());
    await form({ grant_type: 'refresh_token', refresh_token: secret }).expect(200);
    const listed = await api.http
      .get(`/api/v1/users/${robo.id}/application_tokens`)
      .set('Portus-Auth', api.admin)
      .expect(200);
    await api.http
      .delete(`/api/v1/users/application_tokens/${listed.body[0].id}`)
      .set('Portus-Auth', api.admin)
      .expect(204);
    await get(basic('robo', secret), pull).expect(401);
    await form({ grant_type: 'refresh_token', refresh_token: secret }).expect(401);

    const rita = await api.user('rita');
    const owen = `owen:${tokens['owen']}`;
    const team = (await api.http.get('/api/v1/teams').set('Portus-Auth', owen)).body[0];
    const scope = ['repository:team/img:pull,push'];
    expect(await access('rita', scope)).toEqual([]);
    await api.http
      .post(`/api/v1/teams/${team.id}/members`)
      .set('Portus-Auth', owen)
      .send({ user: 'rita', role: 'viewer' })
      .expect(201);
    expect(await access('rita', scope)).toEqual(grant('team/img', ['pull']));
    await api.http.delete(`/api/v1/teams/${team.id}/members/${rita.id}`).set('Portus-Auth', owen).expect(204);
    expect(await access('rita', scope)).toEqual([]);
    await get(basic('rita', rita.auth.slice('rita:'.length)), pull).expect(200);
    await api.http
      .put(`/api/v1/users/${rita.id}/enabled`)
      .set('Portus-Auth', api.admin)
      .send({ enabled: false })
      .expect(200);
    await get(basic('rita', rita.auth.slice('rita:'.length)), pull).expect(401);
    await get(basic('rita', PASSWORD), pull).expect(401);
  });

  it('17: `*,pull` on a private namespace by someone without rights grants nothing', async () => {
    expect(await access('nina', ['repository:team/img:*,pull'])).toEqual([]);
    expect(await access(null, ['repository:team/img:*,pull'])).toEqual([]);
    expect(await access('vic', ['repository:team/img:*,pull'])).toEqual(grant('team/img', ['pull']));
  });

  it('registry-interop §4–5: skopeo delete asks `*` and `delete` in two params; the owner gets both', async () =>
    expect(await access('owen', ['repository:team/img:*', 'repository:team/img:delete'])).toEqual(
      grant('team/img', ['*', 'delete']),
    ));

  it('`account` must be the authenticated user; `sub` is always the authenticated user', async () => {
    const res = await get(basic('nina', PASSWORD), [], { account: 'owen' }).expect(401);
    expect(res.body.errors[0].message).toBe('account does not match the authenticated user');
    await get(null, [], { account: 'owen' }).expect(401);
    const ok = await get(basic('nina', tokens['nina']), [], { account: 'nina' }).expect(200);
    expect((await verify(ok.body.token)).sub).toBe('nina');
    await api.http.get(`/v2/token?service=${SERVICE}&account=a&account=b`).expect(400);
  });

  it('POST: OAuth2 password and refresh_token (application token) grants', async () => {
    const form = (fields: Record<string, string>) =>
      api.http.post('/v2/token').type('form').send(new URLSearchParams(fields).toString());
    const pw = await form({
      grant_type: 'password',
      username: 'owen',
      password: PASSWORD,
      service: SERVICE,
      client_id: 'docker',
      scope: 'repository:team/img:pull,push repository:pub/x:pull',
    }).expect(200);
    expect(Object.keys(pw.body).sort()).toEqual(['access_token', 'expires_in', 'issued_at', 'token']);
    const claims = await verify(pw.body.access_token);
    expect(claims.sub).toBe('owen');
    expect(claims.access).toEqual([...grant('team/img', ['pull', 'push']), ...grant('pub/x', ['pull'])]);
    const refresh = await form({
      grant_type: 'refresh_token',
      refresh_token: tokens['vic'],
      service: SERVICE,
      client_id: 'containers/image',
      scope: 'repository:team/img:pull',
    }).expect(200);
    expect(await verify(refresh.body.token)).toMatchObject({ sub: 'vic', access: grant('team/img', ['pull']) });
    await form({ grant_type: 'password', username: 'owen', password: 'nope', service: SERVICE }).expect(401);
    await form({ grant_type: 'refresh_token', refresh_token: 'pcat_nope', service: SERVICE }).expect(401);
    const bad = await form({ grant_type: 'client_credentials', service: SERVICE }).expect(400);
    expect(bad.body.errors[0].code).toBe('UNSUPPORTED');
  });

  it('lives at /v2/token, not under /api', async () => {
    await api.http.get(`/api/v2/token?service=${SERVICE}`).expect(404);
  });

  it('repeated logins with a password reuse the verification (same answer, no argon2 each time)', async () => {
    for (let i = 0; i < 3; i++) await get(basic('owen', PASSWORD), []).expect(200);
    await get(basic('owen', 'password12345'), []).expect(401);
  });

  describe('with other settings (restarts on the same data dir and key)', () => {
    const restart = async (env: Record<string, string>) => api.restart(env);
    afterAll(() => api.restart({}));

    it('6: delete.contributors=true gives contributors `*` and delete', async () => {
      await restart({ PORTCULLIS_DELETE_CONTRIBUTORS: 'true' });
      expect(await access('cora', ['repository:team/img:*', 'repository:team/img:delete'])).toEqual(
        grant('team/img', ['*', 'delete']),
      );
    });

    it('7: delete.enabled=false refuses `*` and delete to everyone', async () => {
      await restart({ PORTCULLIS_DELETE_ENABLED: 'false' });
      expect(await access('owen', ['repository:team/img:*,delete,pull,push'])).toEqual(
        grant('team/img', ['pull', 'push']),
      );
      expect(await access('admin', ['repository:team/img:*,delete'])).toEqual([]);
    });

    it('10: allow-personal: owner and contributor lose push on T, keep it on their personal namespace', async () => {
      await restart({ PORTCULLIS_USER_PERMISSION_PUSH_IMAGES_POLICY: 'allow-personal' });
      expect(await access('owen', ['repository:team/img:push,pull'])).toEqual(grant('team/img', ['pull']));
      expect(await access('cora', ['repository:team/img:push,pull'])).toEqual(grant('team/img', ['pull']));
      expect(await access('owen', ['repository:owen/img:push'])).toEqual(grant('owen/img', ['push']));
    });

    it('10: admin-only: only admins push', async () => {
      await restart({ PORTCULLIS_USER_PERMISSION_PUSH_IMAGES_POLICY: 'admin-only' });
      expect(await access('owen', ['repository:owen/img:push,pull'])).toEqual(grant('owen/img', ['pull']));
      expect(await access('admin', ['repository:team/img:push'])).toEqual(grant('team/img', ['push']));
    });

    it('a push into an unknown namespace is refused, admins included', async () => {
      await restart({});
      expect(await access('admin', ['repository:ghost/img:push,pull'])).toEqual([]);
      expect(await access('owen', ['repository:ghost/img:push,pull'])).toEqual([]);
    });

    it('keeps the generated key across restarts (the registry bundle stays valid)', async () => {
      const before = await api.app.get<TokenIssuer>(TOKEN_ISSUER).rootCertBundlePem();
      await restart({});
      expect(await api.app.get<TokenIssuer>(TOKEN_ISSUER).rootCertBundlePem()).toBe(before);
    });

    it('registry.key_reference=x5c puts the certificate chain in the header instead of kid', async () => {
      await restart({ PORTCULLIS_REGISTRY_KEY_REFERENCE: 'x5c' });
      const res = await get(basic('owen', PASSWORD), ['repository:team/img:pull']).expect(200);
      const header = decodeProtectedHeader(res.body.token);
      expect(header.kid).toBeUndefined();
      const pem = await api.app.get<TokenIssuer>(TOKEN_ISSUER).rootCertBundlePem();
      expect(header.x5c).toEqual([new X509Certificate(pem).raw.toString('base64')]);
      expect((await verify(res.body.token)).access).toEqual(grant('team/img', ['pull']));
    });

    it('registry.signing.algorithm=RS256 signs with a generated RSA key', async () => {
      await restart({ PORTCULLIS_REGISTRY_SIGNING_ALGORITHM: 'RS256' });
      const res = await get(basic('owen', PASSWORD), ['repository:team/img:pull']).expect(200);
      expect(decodeProtectedHeader(res.body.token).alg).toBe('RS256');
      expect((await verify(res.body.token)).access).toEqual(grant('team/img', ['pull']));
    });
  });
});

import type { Test } from 'supertest';
import { expectProblem, startApi, type TestApi } from '../testing/harness';
import { pushForTests } from '../testing/registry-push';

/**
 * Every endpoint's 401, 403 and 404 paths in one table, so a new endpoint without its checks stands
 * out. Success and 422 paths live in the per-area specs.
 */
describe('endpoint matrix: 401 anonymous, 403 not allowed, 404 unknown', () => {
  let api: TestApi;
  let user: { id: number; auth: string };
  let other: { id: number; auth: string };
  let teamId: number;
  let nsId: number;
  let repoId: number;

  beforeAll(async () => {
    api = await startApi();
    user = await api.user('uma');
    other = await api.user('olaf');
    teamId = (await api.http.post('/api/v1/teams').set('Portus-Auth', other.auth).send({ name: 'secret' }).expect(201))
      .body.id;
    nsId = (
      await api.http
        .post('/api/v1/namespaces')
        .set('Portus-Auth', other.auth)
        .send({ name: 'hidden', team: 'secret' })
        .expect(201)
    ).body.id;
    repoId = await pushForTests(api, 'hidden/app', 'v1', 'olaf');
  });
  afterAll(() => api.close());

  type Row = [method: 'get' | 'post' | 'put' | 'delete', path: string, body?: object];
  /** rows: one object per row, so jest never mistakes a short row for a `done` callback. */
  const rows = (list: Row[]) => list.map(([method, path, body]) => ({ method, path, body }));
  const fill = (path: string) =>
    path
      .replace('{user}', String(user.id))
      .replace('{other}', String(other.id))
      .replace('{team}', String(teamId))
      .replace('{ns}', String(nsId))
      .replace('{repo}', String(repoId));
  const send = (method: Row[0], path: string, body: object | undefined, auth?: string): Test => {
    let req = api.http[method](path);
    if (auth) req = req.set('Portus-Auth', auth);
    return body ? req.send(body) : req;
  };

  const needsUser: Row[] = [
    ['get', '/api/v1/users'],
    ['get', '/api/v1/users/{user}'],
    ['post', '/api/v1/users', { user: { username: 'x', email: 'x@example.com', password: 'password1234' } }],
    ['put', '/api/v1/users/{user}', { user: { email: 'x@example.com' } }],
    ['put', '/api/v1/users/{user}/enabled', { enabled: false }],
    ['put', '/api/v1/users/{user}/admin', { admin: true }],
    ['delete', '/api/v1/users/{user}'],
    ['get', '/api/v1/users/{user}/application_tokens'],
    ['post', '/api/v1/users/{user}/application_tokens', { application: 'x' }],
    ['delete', '/api/v1/users/application_tokens/1'],
    ['get', '/api/v1/teams'],
    ['post', '/api/v1/teams', { name: 'x' }],
    ['get', '/api/v1/teams/{team}'],
    ['put', '/api/v1/teams/{team}', { team: { name: 'y' } }],
    ['get', '/api/v1/teams/{team}/namespaces'],
    ['get', '/api/v1/teams/{team}/members'],
    ['post', '/api/v1/teams/{team}/members', { user: 'uma', role: 'viewer' }],
    ['put', '/api/v1/teams/{team}/members/{other}', { role: 'viewer' }],
    ['delete', '/api/v1/teams/{team}/members/{other}'],
    ['get', '/api/v1/namespaces'],
    ['get', '/api/v1/namespaces/validate?name=x'],
    ['post', '/api/v1/namespaces', { name: 'x', team: 'secret' }],
    ['get', '/api/v1/namespaces/{ns}'],
    ['put', '/api/v1/namespaces/{ns}', { namespace: { description: 'x' } }],
    ['delete', '/api/v1/namespaces/{ns}'],
    ['get', '/api/v1/namespaces/{ns}/repositories'],
    ['get', '/api/v1/registries'],
    ['get', '/api/v1/registries/validate?name=x&hostname=h&use_ssl=false'],
    ['post', '/api/v1/registries', { registry: { name: 'r', hostname: 'h:1', use_ssl: false }, force: true }],
    ['put', '/api/v1/registries/1', { registry: { name: 'r' }, force: true }],
    ['get', '/api/version'],
    ['get', '/api/v1/activities'],
    ['get', '/api/v1/activities.csv'],
    ['get', '/api/v1/users/lookup?q=u'],
    ['put', '/api/v1/repositories/{repo}/star'],
    ['delete', '/api/v1/repositories/{repo}/star'],
  ];
  it.each(rows(needsUser))('$method $path answers 401 without credentials', async ({ method, path, body }) => {
    expectProblem(await send(method, fill(path), body), 401, /Authentication fails/);
  });

  // uma is no admin and no member of olaf's team "secret" and its private namespace "hidden".
  const forbidden: Row[] = [
    ['get', '/api/v1/users'],
    ['get', '/api/v1/users/{other}'],
    ['post', '/api/v1/users', { user: { username: 'x', email: 'x@example.com', password: 'password1234' } }],
    ['put', '/api/v1/users/{other}', { user: { email: 'x@example.com' } }],
    ['put', '/api/v1/users/{other}/enabled', { enabled: false }],
    ['put', '/api/v1/users/{other}/admin', { admin: true }],
    ['delete', '/api/v1/users/{other}'],
    ['get', '/api/v1/users/{other}/application_tokens'],
    ['post', '/api/v1/users/{other}/application_tokens', { application: 'x' }],
    ['get', '/api/v1/teams/{team}'],
    ['put', '/api/v1/teams/{team}', { team: { name: 'y' } }],
    ['get', '/api/v1/teams/{team}/namespaces'],
    ['get', '/api/v1/teams/{team}/members'],
    ['post', '/api/v1/teams/{team}/members', { user: 'uma', role: 'owner' }],
    ['put', '/api/v1/teams/{team}/members/{other}', { role: 'viewer' }],
    ['delete', '/api/v1/teams/{team}/members/{other}'],
    ['post', '/api/v1/namespaces', { name: 'mine', team: 'secret' }],
    ['get', '/api/v1/namespaces/{ns}'],
    ['put', '/api/v1/namespaces/{ns}', { namespace: { description: 'x' } }],
    ['delete', '/api/v1/namespaces/{ns}'],
    ['get', '/api/v1/namespaces/{ns}/repositories'],
    ['get', '/api/v1/registries'],
    ['get', '/api/v1/registries/validate?name=x&hostname=h&use_ssl=false'],
    ['post', '/api/v1/registries', { registry: { name: 'r', hostname: 'h:1', use_ssl: false }, force: true }],
    ['put', '/api/v1/registries/1', { registry: { name: 'r' }, force: true }],
    ['put', '/api/v1/repositories/{repo}/star'],
    ['delete', '/api/v1/repositories/{repo}/star'],
  ];
  it.each(rows(forbidden))('$method $path answers 403 to a user without the right', async ({ method, path, body }) => {
    expectProblem(
      await send(method, fill(path), body, user.auth),
      403,
      /Authorization fails|not allowed|may not|only/i,
    );
  });

  const unknown: Row[] = [
    ['get', '/api/v1/users/424242'],
    ['put', '/api/v1/users/424242', { user: { email: 'x@example.com' } }],
    ['put', '/api/v1/users/424242/enabled', { enabled: false }],
    ['put', '/api/v1/users/424242/admin', { admin: true }],
    ['delete', '/api/v1/users/424242'],
    ['get', '/api/v1/users/424242/application_tokens'],
    ['post', '/api/v1/users/424242/application_tokens', { application: 'x' }],
    ['delete', '/api/v1/users/application_tokens/424242'],
    ['get', '/api/v1/teams/424242'],
    ['put', '/api/v1/teams/424242', { team: { name: 'y' } }],
    ['get', '/api/v1/teams/424242/namespaces'],
    ['get', '/api/v1/teams/424242/members'],
    ['post', '/api/v1/teams/424242/members', { user: 'uma', role: 'viewer' }],
    ['put', '/api/v1/teams/{team}/members/424242', { role: 'viewer' }],
    ['delete', '/api/v1/teams/{team}/members/424242'],
    ['get', '/api/v1/namespaces/424242'],
    ['put', '/api/v1/namespaces/424242', { namespace: { description: 'x' } }],
    ['delete', '/api/v1/namespaces/424242'],
    ['get', '/api/v1/namespaces/424242/repositories'],
    ['put', '/api/v1/registries/424242', { registry: { name: 'r' }, force: true }],
    ['put', '/api/v1/repositories/424242/star'],
    ['delete', '/api/v1/repositories/424242/star'],
    ['get', '/api/v1/no-such-route'],
  ];
  it.each(rows(unknown))('$method $path answers 404 for an unknown record', async ({ method, path, body }) => {
    expectProblem(await send(method, fill(path), body, api.admin), 404);
  });
});

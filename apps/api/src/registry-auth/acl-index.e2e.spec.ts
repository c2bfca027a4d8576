import { CommandBus } from '@nestjs/cqrs';
import { decodeJwt } from 'jose';
import { startApi, type TestApi } from '../testing/harness';
import { TeamChangeCommand } from '../teams/teams.commands';
import { AclIndex } from './acl-index';

const SERVICE = 'registry.test:5000';
const basic = (user: string) => `Basic ${Buffer.from(`${user}:password1234`).toString('base64')}`;

interface Access {
  type: string;
  name: string;
  actions: string[];
}

async function grants(api: TestApi, user: string, scope: string, headers: Record<string, string> = {}) {
  const q = new URLSearchParams({ service: SERVICE, scope });
  const req = api.http.get(`/v2/token?${q.toString()}`).set('Authorization', basic(user));
  for (const [k, v] of Object.entries(headers)) req.set(k, v);
  const res = await req.expect(200);
  return (decodeJwt(res.body.token as string).access ?? []) as Access[];
}

/** ACL index (ADR 0008): token decisions read an in-memory index current to the position the client saw. */
describe('ACL index on the token path', () => {
  let api: TestApi;
  let owen: string;
  let teamId: number;
  let coraId: number;

  beforeAll(async () => {
    api = await startApi();
    owen = (await api.user('owen')).auth;
    coraId = (await api.user('cora')).id;
    await api.http.post('/api/v1/teams').set('Portus-Auth', owen).send({ name: 'devs' }).expect(201);
    teamId = (await api.http.get('/api/v1/teams').set('Portus-Auth', owen)).body[0].id;
    await api.http.post('/api/v1/namespaces').set('Portus-Auth', owen).send({ name: 'devs', team: 'devs' }).expect(201);
  });
  afterAll(() => api.close());

  it('sees an API change as soon as the API answered it (the command waits for the index too)', async () => {
    expect(await grants(api, 'cora', 'repository:devs/app:pull,push')).toEqual([]);
    const res = await api.http
      .post(`/api/v1/teams/${teamId}/members`)
      .set('Portus-Auth', owen)
      .send({ user: 'cora', role: 'contributor' })
      .expect(201);
    expect(res.headers['portcullis-position']).toMatch(/^\d+$/);
    expect(await grants(api, 'cora', 'repository:devs/app:pull,push')).toEqual([
      { type: 'repository', name: 'devs/app', actions: ['pull', 'push'] },
    ]);
  });

  it('waits for Portcullis-Min-Position when the index is behind it, and only then decides', async () => {
    // A command whose answer nobody waited for, as another replica's would be.
    const done = await api.app.get(CommandBus).execute(
      new TeamChangeCommand({ id: 2, username: 'owen', admin: false }, teamId, {
        type: 'ChangeRole',
        userId: coraId,
        role: 'viewer',
      }),
    );
    const access = await grants(api, 'cora', 'repository:devs/app:pull,push', {
      'Portcullis-Min-Position': String(done.position),
    });
    expect(api.app.get(AclIndex).position()).toBeGreaterThanOrEqual(done.position as bigint);
    expect(access).toEqual([{ type: 'repository', name: 'devs/app', actions: ['pull'] }]);
  });

  it('answers (bounded wait) when the named position is never reached, and ignores a malformed one', async () => {
    await api.restart({ PORTCULLIS_READ_YOUR_WRITES_TIMEOUT_MS: '50' });
    const far = String((api.app.get(AclIndex).position() ?? 0n) + 1_000_000n);
    expect(await grants(api, 'cora', 'repository:devs/app:pull', { 'Portcullis-Min-Position': far })).toHaveLength(1);
    expect(await grants(api, 'cora', 'repository:devs/app:pull', { 'Portcullis-Min-Position': 'x' })).toHaveLength(1);
  });

  it('is rebuilt from the event store on start (no state of its own survives a restart)', async () => {
    await api.restart();
    const index = api.app.get(AclIndex);
    expect(await index.read.namespaceByName('devs')).toMatchObject({ name: 'devs', team_id: teamId });
    expect(await index.read.roleOf(teamId, coraId)).toBe('viewer');
  });
});

/** namespace.auto_create_on_push (ADR 0008): the namespace is created under a team named after it. */
describe('push into an unknown namespace with auto-create on', () => {
  let api: TestApi;
  let erin: string;

  const namespace = async (name: string) => {
    const all = await api.http.get('/api/v1/namespaces?all=true').set('Portus-Auth', api.admin).expect(200);
    return (all.body as Array<{ name: string; team: { name: string }; visibility: string }>).find(
      (n) => n.name === name,
    );
  };

  beforeAll(async () => {
    api = await startApi({ PORTCULLIS_NAMESPACE_AUTO_CREATE_ON_PUSH_ENABLED: 'true' });
    await api.user('cora');
    await api.user('dave');
    erin = (await api.user('erin')).auth;
    await api.http.post('/api/v1/teams').set('Portus-Auth', erin).send({ name: 'taken' }).expect(201);
  });
  afterAll(() => api.close());

  it('creates the namespace and its team, owned by the pusher, and grants push in the same token', async () => {
    const [a, b] = await Promise.all([
      grants(api, 'cora', 'repository:fresh/app:pull,push'),
      grants(api, 'cora', 'repository:fresh/lib:push'),
    ]);
    expect(a).toEqual([{ type: 'repository', name: 'fresh/app', actions: ['pull', 'push'] }]);
    expect(b).toEqual([{ type: 'repository', name: 'fresh/lib', actions: ['push'] }]);
    expect(await namespace('fresh')).toMatchObject({ team: { name: 'fresh' }, visibility: 'private' });
    const teams = await api.http.get('/api/v1/teams?all=true').set('Portus-Auth', api.admin).expect(200);
    expect((teams.body as Array<{ name: string }>).filter((t) => t.name === 'fresh')).toHaveLength(1);
  });

  it('then treats it like any namespace: another user may not push there', async () => {
    expect(await grants(api, 'dave', 'repository:fresh/app:pull,push')).toEqual([]);
  });

  it('creates nothing where a team of that name belongs to someone else, and grants nothing', async () => {
    expect(await grants(api, 'cora', 'repository:taken/app:pull,push')).toEqual([]);
    expect(await namespace('taken')).toBeUndefined();
  });

  it('uses a team of that name the pusher owns', async () => {
    expect(await grants(api, 'erin', 'repository:taken/app:push')).toEqual([
      { type: 'repository', name: 'taken/app', actions: ['push'] },
    ]);
    expect(await namespace('taken')).toMatchObject({ team: { name: 'taken' } });
  });

  it('creates nothing for a pull alone', async () => {
    expect(await grants(api, 'cora', 'repository:ghost/app:pull')).toEqual([]);
    expect(await namespace('ghost')).toBeUndefined();
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_STORE, type EventStore } from '@portcullis/persistence';
import { repositoryStreamId } from '@portcullis/domain';
import { startApi, type TestApi } from '../testing/harness';
import { ReadSide } from '../platform/read-side';
import { NotificationSecrets } from './notification-secrets';
import { PullRecorder } from './pull-recorder';

// The recorded distribution 2.8 notifications (libs/contracts/src/registry/fixtures, from ../shared/fixtures).
const fixtures = join(__dirname, '../../../../libs/contracts/src/registry/fixtures');
type Envelope = { events: Array<Record<string, unknown> & { id: string; target: Record<string, unknown> }> };
const body = (name: string, index = 0): Envelope => {
  const raw = JSON.parse(readFileSync(join(fixtures, `notification-${name}.json`), 'utf8'));
  return structuredClone((Array.isArray(raw) ? raw[index] : raw).body);
};
const DIGEST = 'sha256:dfb60bfd18d8df15dcfbc17900a6ca76552f8f76e4d734ed842b873b78cbd85d';

async function eventually<T>(probe: () => Promise<T | undefined | null | false>, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('registry notifications (POST /v2/webhooks/events)', () => {
  let api: TestApi;
  let auth: string;
  let alice: { id: number; auth: string };
  let outsider: { id: number; auth: string };

  const post = (envelope: unknown, authorization: string | null = auth) => {
    const req = api.http
      .post('/v2/webhooks/events')
      .set('Content-Type', 'application/vnd.docker.distribution.events.v1+json');
    if (authorization !== null) req.set('Authorization', authorization);
    return req.send(JSON.stringify(envelope));
  };
  const repoNamed = async (fullName: string) => {
    const list = await api.http.get('/api/v1/repositories?all=true').set('Portus-Auth', api.admin).expect(200);
    return (list.body as Array<{ id: number; full_name: string }>).find((r) => r.full_name === fullName);
  };

  beforeAll(async () => {
    // The tests flush pull marks themselves: no timer flush in the middle of a count.
    api = await startApi({ PORTCULLIS_REGISTRY_PULLS_COALESCE_SECONDS: '3600' });
    alice = await api.user('alice');
    outsider = await api.user('oscar');
    await api.http.post('/api/v1/teams').set('Portus-Auth', alice.auth).send({ name: 'nsteam' }).expect(201);
    await api.http
      .post('/api/v1/namespaces')
      .set('Portus-Auth', alice.auth)
      .send({ name: 'ns', team: 'nsteam' })
      .expect(201);
    const [registry] = (await api.http.get('/api/v1/registries').set('Portus-Auth', api.admin)).body;
    auth = api.app.get(NotificationSecrets).authorizationFor(registry.id);
  });
  afterAll(() => api.close());

  it('refuses a notification without the secret, or with a wrong one (401, registry error format)', async () => {
    for (const authorization of [null, 'Bearer wrong', auth.replace(/.$/, 'x'), auth.slice(7)]) {
      const res = await post(body('push-manifest'), authorization).expect(401);
      expect(res.body).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: expect.any(String), detail: null }] });
    }
    expect(await repoNamed('ns/repo')).toBeUndefined();
  });

  it('refuses bodies that are not a notification envelope (400, registry error format)', async () => {
    const bad = await api.http
      .post('/v2/webhooks/events')
      .set('Authorization', auth)
      .set('Content-Type', 'application/json')
      .send('{not json')
      .expect(400);
    expect(bad.body.errors[0].code).toBe('UNSUPPORTED');
    const wrong = body('push-manifest');
    wrong.events[0].target['repository'] = '../../etc';
    expect((await post(wrong).expect(400)).body.errors[0].message).toMatch(/repository/);
    await post({ hello: 'world' }).expect(400);
  });

  it('records a push: the tag shows with digest, size (config + layers) and author', async () => {
    const res = await post(body('push-manifest')).expect(202);
    expect(res.body).toEqual({ events: [{ id: '4263c8d8-f484-4066-8876-a128a4a58ab4', outcome: 'recorded' }] });
    const repo = await eventually(() => repoNamed('ns/repo'));
    const tags = await api.http.get(`/api/v1/repositories/${repo.id}/tags`).set('Portus-Auth', alice.auth).expect(200);
    expect(tags.body).toEqual([
      expect.objectContaining({
        name: 'v1',
        digest: DIGEST,
        size: 475 + 33005 + 33014,
        media_type: 'application/vnd.oci.image.manifest.v1+json',
        image_id: 'efff558bedea741e7bab2e17b6b857dab0b86b52eadfab549ec15ba5c9a213f2',
        author: { id: alice.id, name: 'alice' },
        pulled_at: null,
      }),
    ]);
    const shown = await api.http.get(`/api/v1/repositories/${repo.id}`).set('Portus-Auth', alice.auth).expect(200);
    expect(shown.body).toMatchObject({ name: 'repo', full_name: 'ns/repo', namespace: { name: 'ns' }, tags_count: 1 });
    // Private namespace: an outsider may not see it (Portus's show? = pull?).
    await api.http.get(`/api/v1/repositories/${repo.id}`).set('Portus-Auth', outsider.auth).expect(403);
    const inNs = await api.http
      .get(`/api/v1/namespaces/${shown.body.namespace.id}/repositories`)
      .set('Portus-Auth', alice.auth)
      .expect(200);
    expect(inNs.body).toEqual([expect.objectContaining({ id: repo.id, full_name: 'ns/repo', tags_count: 1 })]);
  });

  it('changes nothing on a duplicate notification (same event id)', async () => {
    const store = api.app.get<EventStore>(EVENT_STORE);
    const stream = repositoryStreamId(1, 'ns/repo');
    const before = (await store.readStream(stream)).length;
    const res = await post(body('push-manifest')).expect(202);
    expect(res.body.events[0].outcome).toBe('duplicate');
    expect((await store.readStream(stream)).length).toBe(before);
  });

  it('changes nothing when a push is redelivered after a later push moved its tag, or twice at once', async () => {
    const store = api.app.get<EventStore>(EVENT_STORE);
    const stream = repositoryStreamId(1, 'ns/dedupe');
    const first = body('push-manifest');
    first.events[0].id = 'dedupe-first';
    first.events[0].target['repository'] = 'ns/dedupe';
    const moved = structuredClone(first);
    moved.events[0].id = 'dedupe-moved';
    moved.events[0].target['digest'] = `sha256:${'9'.repeat(64)}`;
    expect((await post(first).expect(202)).body.events[0].outcome).toBe('recorded');
    expect((await post(moved).expect(202)).body.events[0].outcome).toBe('recorded');
    const recorded = (await store.readStream(stream)).length;
    // A retry of the first push whose answer was lost: recording it would move v1 back to the old digest.
    expect((await post(first).expect(202)).body.events[0].outcome).toBe('duplicate');
    expect((await store.readStream(stream)).length).toBe(recorded);
    const repo = await eventually(() => repoNamed('ns/dedupe'));
    const tags = await eventually(async () => {
      const res = await api.http.get(`/api/v1/repositories/${repo.id}/tags`).set('Portus-Auth', alice.auth);
      return res.body[0]?.digest === `sha256:${'9'.repeat(64)}` ? res.body : null;
    });
    expect(tags).toHaveLength(1);
    // Two deliveries of one new event racing each other: one is recorded, the other re-decides and finds it.
    const again = structuredClone(first);
    again.events[0].id = 'dedupe-race';
    const outcomes = await Promise.all([post(again).expect(202), post(again).expect(202)]);
    expect(outcomes.map((r) => r.body.events[0].outcome).sort()).toEqual(['duplicate', 'recorded']);
    expect((await store.readStream(stream)).length).toBe(recorded + 1);
  });

  it('ignores blob events', async () => {
    const res = await post(body('push-blob')).expect(202);
    expect(res.body.events[0].outcome).toBe('ignored');
    expect((await post(body('pull-blob')).expect(202)).body.events[0].outcome).toBe('ignored');
  });

  it('records pulls as a coalesced last-pulled mark', async () => {
    const pulls = api.app.get(PullRecorder);
    const res = await post(body('pull-manifest')).expect(202);
    expect(res.body.events[0].outcome).toBe('pull-noted');
    await pulls.flush();
    const repo = await eventually(() => repoNamed('ns/repo'));
    const tag = await eventually(async () => {
      const tags = await api.http.get(`/api/v1/repositories/${repo.id}/tags`).set('Portus-Auth', api.admin);
      return tags.body[0]?.pulled_at ? tags.body[0] : null;
    });
    expect(Date.parse(tag.pulled_at)).toBeGreaterThan(0);
  });

  it('answers 1000 pulls without writing: one mark per tag per interval', async () => {
    const pulls = api.app.get(PullRecorder);
    const store = api.app.get<EventStore>(EVENT_STORE);
    const stream = repositoryStreamId(1, 'ns/repo');
    const before = (await store.readStream(stream)).length;
    // A real listening server and 20 concurrent keep-alive clients, as a registry's queue plus retries would be.
    const server = api.app.getHttpServer();
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${server.address().port}/v2/webhooks/events`;
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < 1000) {
          const pull = body('pull-manifest');
          pull.events[0].id = `pull-${next++}`;
          const res = await fetch(url, {
            method: 'POST',
            headers: { Authorization: auth },
            body: JSON.stringify(pull),
          });
          expect(res.status).toBe(202);
          await res.arrayBuffer();
        }
      }),
    );
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const pingStart = process.hrtime.bigint();
    let n = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (n++ < 1000) await (await fetch(url.replace('/v2/webhooks/events', '/api/v1/_ping'))).arrayBuffer();
      }),
    );
    process.stdout.write(
      `baseline: 1000 GET /api/v1/_ping in ${(Number(process.hrtime.bigint() - pingStart) / 1e6).toFixed(0)} ms\n`,
    );
    expect(pulls.pendingCount).toBe(1);
    await pulls.flush();
    expect((await store.readStream(stream)).length).toBe(before + 1);
    process.stdout.write(
      `1000 pull notifications answered in ${ms.toFixed(0)} ms (${((1000 * 1000) / ms).toFixed(0)}/s)\n`,
    );
  }, 60_000);

  it('records pushes by unknown users into unknown namespaces, visible to admins', async () => {
    const push = body('push-manifest');
    push.events[0].id = 'ghost-push';
    push.events[0].target['repository'] = 'ghost/app';
    push.events[0]['actor'] = { name: 'stranger' };
    await post(push).expect(202);
    const repo = await eventually(() => repoNamed('ghost/app'));
    const shown = await api.http.get(`/api/v1/repositories/${repo.id}`).set('Portus-Auth', api.admin).expect(200);
    expect(shown.body.namespace).toEqual({ id: null, name: 'ghost' });
    const tags = await api.http.get(`/api/v1/repositories/${repo.id}/tags`).set('Portus-Auth', api.admin).expect(200);
    expect(tags.body[0].author).toEqual({ id: null, name: 'stranger' });
    await api.http.get(`/api/v1/repositories/${repo.id}`).set('Portus-Auth', alice.auth).expect(403);
  });

  it('leaves a delete notified as Portcullis itself to the handler that asked for it: unchanged, tags kept', async () => {
    // DeleteImagesHandler records such a delete with the user who asked; recording the notification would credit
    // it to 'portcullis' whenever it arrives first.
    const own = body('delete', 0);
    own.events[0].id = 'delete-by-portcullis';
    own.events[0].actor = { name: 'portcullis' };
    expect((await post(own).expect(202)).body.events[0].outcome).toBe('unchanged');
    const repo = await eventually(() => repoNamed('ns/repo'));
    const tags = await api.http.get(`/api/v1/repositories/${repo.id}/tags`).set('Portus-Auth', api.admin).expect(200);
    expect((tags.body as Array<{ name: string }>).map((t) => t.name)).toContain('v1');
  });

  it('deletes every tag with the digest on a manifest delete (two events), and the emptied repository', async () => {
    const latest = body('push-manifest');
    latest.events[0].id = 'push-latest';
    latest.events[0].target['tag'] = 'latest';
    await post(latest).expect(202);
    const repo = await eventually(() => repoNamed('ns/repo'));
    await eventually(async () => {
      const t = await api.http.get(`/api/v1/repositories/${repo.id}/tags/grouped`).set('Portus-Auth', api.admin);
      return t.body[0]?.length === 2;
    });
    const [byDigest, byTag] = [body('delete', 0), body('delete', 1)];
    expect((await post(byDigest).expect(202)).body.events[0].outcome).toBe('recorded');
    expect((await post(byTag).expect(202)).body.events[0].outcome).toBe('unchanged');
    await eventually(async () => !(await repoNamed('ns/repo')));
    await api.http.get(`/api/v1/repositories/${repo.id}`).set('Portus-Auth', api.admin).expect(404);
    const acts = await api.app.get(ReadSide).store.collection('activities').find({ key: 'repository.delete' });
    expect(acts.map((a) => (a['parameters'] as { tag_name: string }).tag_name).sort()).toEqual(['latest', 'v1']);
  });
});

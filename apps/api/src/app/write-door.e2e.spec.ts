import { CommandBus } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@portcullis/persistence';
import { Clock } from '../platform/clock';
import { LoginAttempts } from '../identity/login-attempts';
import { startApi, type TestApi } from '../testing/harness';

/**
 * One write door, one clock (docs/architecture.md, ADR 0019): the api's writes are commands stamped by the injected
 * Clock and IdSource, one correlation id per command and the steps it hands on, and the background writers send
 * commands like the controllers do.
 */
describe('one write door, one clock', () => {
  const DAY = 24 * 60 * 60 * 1000;
  let api: TestApi;
  let store: EventStore;
  const sent: object[] = [];

  beforeAll(async () => {
    api = await startApi();
    store = api.app.get(EVENT_STORE);
    api.app.get(CommandBus).subscribe((c: object) => sent.push(c));
  });
  afterAll(() => api.close());

  async function allEvents(): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    for (let after: bigint | undefined; ;) {
      const batch = await store.readAll({ after, maxCount: 500 });
      if (!batch.length) return out;
      out.push(...batch);
      after = batch[batch.length - 1].position;
    }
  }

  it("stamps a command with the app's clock: a team created with the clock a day ahead was created a day ahead", async () => {
    const before = Date.now();
    api.app.get(Clock).advance(DAY);
    try {
      const res = await api.http
        .post('/api/v1/teams')
        .set('Portus-Auth', api.admin)
        .send({ name: 'tomorrow', description: '' })
        .expect(201);
      expect(Date.parse(res.body.created_at)).toBeGreaterThanOrEqual(before + DAY);
    } finally {
      api.app.get(Clock).advance(-DAY);
    }
  });

  it('gives a user creation one correlation id across its streams (user, names, personal team and namespace), and nothing else', async () => {
    const carol = await api.user('carol');
    const events = await allEvents();
    const first = events.find((e) => e.streamId === `user-${carol.id}`);
    const correlationId = first?.metadata['correlationId'];
    expect(correlationId).toEqual(expect.any(String));
    const streams = new Set(events.filter((e) => e.metadata['correlationId'] === correlationId).map((e) => e.streamId));
    const team = events.find(
      (e) => e.type === 'TeamCreated' && e.data['kind'] === 'personal' && e.data['ownerId'] === carol.id,
    );
    const namespace = events.find((e) => e.type === 'NamespaceCreated' && e.data['teamId'] === team?.data['id']);
    expect([...streams].sort()).toEqual(
      [
        `user-${carol.id}`,
        'unique-username-carol',
        'unique-email-carol@example.com',
        `team-${team?.data['id']}`,
        'unique-team-carol',
        `namespace-${namespace?.data['id']}`,
        'unique-namespace-carol',
      ].sort(),
    );
    // Her application token is another command: another correlation id.
    const tokenEvent = events.find((e) => e.type === 'ApplicationTokenCreated' && e.streamId === `user-${carol.id}`);
    expect(tokenEvent?.metadata['correlationId']).not.toBe(correlationId);
  });

  it('writes failed logins and an unlock through their commands (LoginAttempts sends; the controller sends)', async () => {
    const dave = await api.user('dave');
    await api.http.post('/api/v1/sessions').send({ username: 'dave', password: 'wrong-password' }).expect(401);
    await api.app.get(LoginAttempts).flush();
    expect(sent).toContainEqual(
      expect.objectContaining({ userId: dave.id, source: 'session', failedAt: [expect.any(String)] }),
    );
    expect(sent.find((c) => 'failedAt' in c)?.constructor.name).toBe('RecordLoginFailuresCommand');
    await api.http.put(`/api/v1/users/${dave.id}/unlock`).set('Portus-Auth', api.admin).expect(200);
    expect(sent.map((c) => c.constructor.name)).toContain('UnlockUserCommand');
  });
});

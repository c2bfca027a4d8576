import type { Test } from 'supertest';
import { EVENT_STORE, type EventStore } from '@portcullis/persistence';
import { expectProblem, startApi, type TestApi } from '../testing/harness';

/** Bad input gets a clear 4xx and writes nothing (developers' guide: "No 500 for a client mistake"). */
describe('bad input', () => {
  let api: TestApi;
  let headBefore: bigint;

  beforeAll(async () => {
    api = await startApi();
    await api.http.post('/api/v1/teams').set('Portus-Auth', api.admin).send({ name: 'devs' }).expect(201);
  });
  afterAll(() => api.close());

  async function head(): Promise<bigint> {
    return api.app.get<EventStore>(EVENT_STORE).headPosition();
  }

  beforeEach(async () => {
    headBefore = await head();
  });
  afterEach(async () => {
    expect(await head()).toBe(headBefore);
  });

  const cases: Array<[string, string, string, unknown, number, RegExp | undefined]> = [
    // [why, method, path, body, status, message]
    ['malformed JSON', 'post', '/api/v1/teams', '{"name": ', 400, /Malformed JSON/],
    ['JSON that is not an object', 'post', '/api/v1/teams', '"qa"', 400, undefined],
    ['unknown field', 'post', '/api/v1/teams', { name: 'qa', admin: true }, 422, /admin/],
    ['wrong type', 'post', '/api/v1/teams', { name: 42 }, 422, /name/],
    ['1 MB name', 'post', '/api/v1/teams', { name: 'a'.repeat(1024 * 1024) }, 413, undefined],
    ['300-char name', 'post', '/api/v1/teams', { name: 'a'.repeat(300) }, 422, /too long/],
    ['control characters', 'post', '/api/v1/teams', { name: 'qa\u0000x' }, 422, /control/],
    [
      'path traversal in a namespace name',
      'post',
      '/api/v1/namespaces',
      { name: '../../etc/passwd', team: 'devs' },
      422,
      undefined,
    ],
    [
      'prototype pollution',
      'post',
      '/api/v1/teams',
      JSON.parse('{"name":"qa","__proto__":{"admin":true}}'),
      422,
      undefined,
    ],
    ['nested user missing', 'post', '/api/v1/users', { username: 'x' }, 422, undefined],
    ['wrong type for a boolean', 'put', '/api/v1/users/1/admin', { admin: 'yes' }, 422, undefined],
    ['array body', 'post', '/api/v1/teams', [{ name: 'qa' }], 422, undefined],
    ['non-numeric id', 'get', '/api/v1/teams/..%2F..%2Fetc', undefined, 404, undefined],
    ['huge id', 'get', '/api/v1/users/99999999999999999999', undefined, 404, undefined],
    ['negative page', 'get', '/api/v1/users?page=-1', undefined, 422, undefined],
    ['sort injection', 'get', '/api/v1/users?sort_attr=id;drop', undefined, 422, undefined],
  ];

  it.each(cases)('%s: %s %s', async (_why, method, path, body, status, message) => {
    let req = (api.http as unknown as Record<string, (p: string) => Test>)[method](path).set('Portus-Auth', api.admin);
    if (typeof body === 'string') req = req.set('Content-Type', 'application/json').send(body);
    else if (body !== undefined) req = req.send(body as object);
    expectProblem(await req, status, message);
  });

  it('unknown sort attributes fall back to id, as in Portus', async () => {
    await api.http.get('/api/v1/users?sort_attr=password&sort_order=desc').set('Portus-Auth', api.admin).expect(200);
  });
});

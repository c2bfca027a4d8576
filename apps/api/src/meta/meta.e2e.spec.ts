import { expectProblem, startApi, type TestApi } from '../testing/harness';

describe('meta endpoints', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('_ping answers 200 with no body, without auth', async () => {
    const res = await api.http.get('/api/v1/_ping').expect(200);
    expect(res.text).toBe('');
  });

  it('health reports each component', async () => {
    const res = await api.http.get('/api/v1/health').expect(200);
    expect(res.body).toMatchObject({
      database: { success: true },
      read_models: { success: true },
      projector: { success: true },
    });
  });

  it('version needs a user', async () => {
    expectProblem(await api.http.get('/api/version'), 401);
    const res = await api.http.get('/api/version').set('Portus-Auth', api.admin).expect(200);
    expect(res.body['api-versions']).toEqual(['v1']);
  });

  it('serves OpenAPI and Swagger UI', async () => {
    const spec = await api.http.get('/api/openapi.json').expect(200);
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/users', '/api/v1/teams/{id}/members', '/api/v1/namespaces/validate']),
    );
    // request bodies are documented from the same zod schemas that validate them
    const createTeam = spec.body.paths['/api/v1/teams'].post.requestBody.content['application/json'].schema;
    expect(createTeam).toMatchObject({ type: 'object', required: ['name'], additionalProperties: false });
    expect(spec.body.components.securitySchemes['Portus-Auth']).toMatchObject({ type: 'apiKey', name: 'Portus-Auth' });
    const ui = await api.http.get('/api/docs/').expect(200);
    expect(ui.text).toContain('swagger');
  });

  it('answers unknown /api routes with a 404 problem', async () => {
    expectProblem(await api.http.get('/api/v1/nothing-here'), 404);
  });
});

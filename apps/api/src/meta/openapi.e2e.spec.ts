import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3 } from 'openapi-types';
import { problemsOf } from '../platform/openapi';
import { startApi, type TestApi } from '../testing/harness';

/**
 * The OpenAPI document is what clients and the schema-driven fuzzing (issue 18) read: it must be valid, give every
 * route's answer a schema from libs/contracts, and declare every problem a route can answer.
 */
describe('the OpenAPI document', () => {
  let api: TestApi;
  let doc: OpenAPIV3.Document;
  const operations: Array<{ name: string; method: string; path: string; op: OpenAPIV3.OperationObject }> = [];

  beforeAll(async () => {
    api = await startApi();
    doc = (await api.http.get('/api/openapi.json').expect(200)).body;
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item ?? {}))
        if (op && typeof op === 'object' && 'responses' in op)
          operations.push({
            name: `${method.toUpperCase()} ${path}`,
            method,
            path,
            op: op as OpenAPIV3.OperationObject,
          });
  });
  afterAll(() => api.close());

  it('is valid OpenAPI 3.0 (swagger-parser: the OpenAPI schema, then references and parameters)', async () => {
    expect(doc.openapi).toMatch(/^3\.0\./);
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
    expect(operations.length).toBeGreaterThan(80);
  });

  it('documents a success with a body schema for every route (no body: 204 and _ping only)', () => {
    const missing: string[] = [];
    for (const { name, op } of operations) {
      const successes = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
      if (successes.length === 0) missing.push(`${name}: no 2xx answer`);
      for (const [status, response] of successes) {
        const content = (response as OpenAPIV3.ResponseObject).content;
        const bodiless = status === '204' || name === 'GET /api/v1/_ping';
        if (bodiless && content) missing.push(`${name} ${status}: a schema for an answer without a body`);
        if (!bodiless && (!content || !Object.values(content).every((media) => media.schema)))
          missing.push(`${name} ${status}: no schema`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('names the entities of libs/contracts as components, and answers refer to them', () => {
    const schemas = doc.components?.schemas ?? {};
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining(['UserEntity', 'TeamEntity', 'RepositoryEntity', 'TagEntity', 'WebhookEntity', 'Problem']),
    );
    const users = doc.paths['/api/v1/users']?.get?.responses['200'] as OpenAPIV3.ResponseObject;
    expect(users.content?.['application/json']?.schema).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/UserEntity' },
    });
    expect(Object.keys(users.headers ?? {})).toEqual(expect.arrayContaining(['X-Total', 'X-Page', 'Link']));
    // OpenAPI 3.0 keywords: exclusiveMinimum is a boolean there, null is `nullable` (POST /teams was invalid).
    const createTeam = doc.paths['/api/v1/teams']?.post?.requestBody as OpenAPIV3.RequestBodyObject;
    const ownerId = (createTeam.content['application/json'].schema as OpenAPIV3.SchemaObject).properties?.[
      'owner_id'
    ] as OpenAPIV3.SchemaObject;
    expect(ownerId).toMatchObject({ type: 'integer', minimum: 0, exclusiveMinimum: true });
    expect((schemas['UserEntity'] as OpenAPIV3.SchemaObject).properties?.['email']).toEqual({
      type: 'string',
      nullable: true,
    });
  });

  it('declares every problem a route answers, as application/problem+json with the Problem schema', () => {
    const missing: string[] = [];
    for (const { name, method, path, op } of operations) {
      // The rules of completeDocument, restated: a route must never lose one of these.
      const expected = new Set(problemsOf(method, path, op));
      for (const status of [400, 401, 403, 413, 415, 503]) expected.add(status);
      if (path.includes('{')) expected.add(404);
      if (['post', 'put', 'delete'].includes(method)) [404, 409, 422].forEach((s) => expected.add(s));
      for (const status of expected) {
        const response = op.responses[String(status)] as OpenAPIV3.ResponseObject | undefined;
        const schema = response?.content?.['application/problem+json']?.schema;
        if (!schema || !('$ref' in schema) || schema.$ref !== '#/components/schemas/Problem')
          missing.push(`${name} ${status}`);
      }
    }
    expect(missing).toEqual([]);
    const login = doc.paths['/api/v1/sessions']?.post?.responses ?? {};
    expect(Object.keys(login)).toEqual(expect.arrayContaining(['201', '401', '422', '429']));
    // A route that answers a status with a body of its own keeps it beside the middleware's problem.
    const ready = doc.paths['/api/v1/health/ready']?.get?.responses['503'] as OpenAPIV3.ResponseObject;
    expect(Object.keys(ready.content ?? {}).sort()).toEqual(['application/json', 'application/problem+json']);
  });

  it('documents the query parameters the routes parse', () => {
    const names = (path: string) =>
      ((doc.paths[path]?.get?.parameters ?? []) as OpenAPIV3.ParameterObject[])
        .filter((p) => p.in === 'query')
        .map((p) => p.name)
        .sort();
    expect(names('/api/v1/users')).toEqual(['all', 'page', 'per_page', 'search', 'sort_attr', 'sort_order']);
    expect(names('/api/v1/repositories')).toContain('starred');
    expect(names('/api/v1/search')).toEqual(['page', 'per_page', 'q', 'type']);
    expect(names('/api/v1/activities')).toEqual(
      expect.arrayContaining(['owner', 'key', 'namespace_id', 'from', 'to', 'page']),
    );
  });

  it('documents the replay answer as the 202 it is', () => {
    const replay = doc.paths['/api/v1/webhooks/{id}/replay']?.post?.responses ?? {};
    expect(Object.keys(replay)).toContain('202');
    expect(Object.keys(replay)).not.toContain('201');
  });
});

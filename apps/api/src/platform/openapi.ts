import { applyDecorators } from '@nestjs/common';
import { ApiQuery, ApiResponse, type OpenAPIObject } from '@nestjs/swagger';
import type {
  HeaderObject,
  OperationObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z, type ZodType } from 'zod';
import { entities } from '@portcullis/contracts';

/*
 * The OpenAPI document is built from the zod schemas of libs/contracts, the same ones that validate requests and
 * type responses: request bodies and queries (ApiBodyFrom, ApiQueryFrom), answers (ApiAnswer, ApiList), and the
 * named entities as components. completeDocument then adds what every route may answer without saying so: the
 * problems of the middleware in front of every route (body parser, authentication, stores) and of the rules
 * below, each as application/problem+json.
 */

/** SCHEMAS is where the named entities live in the document. */
const SCHEMAS = '#/components/schemas/';

/** jsonSchema converts a zod schema to an OpenAPI 3.0 schema object (the document is OpenAPI 3.0). */
export function jsonSchema(schema: ZodType, io: 'input' | 'output'): SchemaObject {
  const json = z.toJSONSchema(schema, { io, target: 'openapi-3.0', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json['$schema'];
  return json as SchemaObject;
}

/** schemaRef is a named entity's `$ref`, arrays of entities as arrays of refs, anything else inline. */
export function schemaRef(schema: ZodType): SchemaObject | { $ref: string } {
  const named = entities.get(schema);
  if (named) return { $ref: `${SCHEMAS}${named.id}` };
  if (schema instanceof z.ZodArray) return { type: 'array', items: schemaRef(schema.element as ZodType) };
  return jsonSchema(schema, 'output');
}

/** entityComponents are the named entities as `components.schemas`, with `$ref`s between them. */
export function entityComponents(): Record<string, SchemaObject> {
  const { schemas } = z.toJSONSchema(entities, {
    target: 'openapi-3.0',
    unrepresentable: 'any',
    uri: (id) => `${SCHEMAS}${id}`,
  }) as { schemas: Record<string, Record<string, unknown>> };
  for (const s of Object.values(schemas)) delete s['$id']; // not a keyword of OpenAPI 3.0 schema objects
  return schemas as Record<string, SchemaObject>;
}

/** Answer is one documented success of a handler: the runtime check (ResponseContracts) reads it too. */
export interface Answer {
  readonly status: number;
  readonly schema: ZodType | null;
}

/** ANSWERS is the metadata key of a handler's Answers. */
export const ANSWERS = Symbol('portcullis:answers');

/** answersOf reads a handler's documented answers. */
export function answersOf(handler: object): readonly Answer[] {
  return (Reflect.getMetadata(ANSWERS, handler) as Answer[] | undefined) ?? [];
}

/** AnswerDecorator applies to handlers returning T (or a promise of it), whatever they take. */
type AnswerDecorator<T> = <F extends (...args: never[]) => T | Promise<T>>(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<F>,
) => void;

const PAGE_HEADERS: Record<string, HeaderObject> = Object.fromEntries(
  [
    ['X-Page', 'this page'],
    ['X-Per-Page', 'the page size used'],
    ['X-Total', 'items in every page'],
    ['X-Total-Pages', 'pages'],
    ['X-Next-Page', 'the next page (empty on the last)'],
    ['X-Prev-Page', 'the previous page (empty on the first)'],
    ['Link', 'first, prev, next and last pages (RFC 8288)'],
  ].map(([name, description]) => [name, { description, schema: { type: 'string' } }]),
);

function record(status: number, schema: ZodType | null): MethodDecorator {
  return (_target, _key, descriptor) => {
    const handler = descriptor.value as object;
    Reflect.defineMetadata(ANSWERS, [...answersOf(handler), { status, schema }], handler);
  };
}

/**
 * ApiAnswer documents one success of a route with the contracts schema of its body (null: no body) and makes the
 * compiler hold the handler to it: a handler whose return type is not the schema's type does not compile.
 */
export function ApiAnswer<S extends ZodType>(
  status: number,
  schema: S,
  description: string,
  headers?: Record<string, HeaderObject>,
): AnswerDecorator<z.output<S>>;
export function ApiAnswer(status: number, schema: null, description: string): AnswerDecorator<void>;
export function ApiAnswer(
  status: number,
  schema: ZodType | null,
  description: string,
  headers?: Record<string, HeaderObject>,
): AnswerDecorator<unknown> {
  return applyDecorators(
    record(status, schema),
    ApiResponse({ status, description, ...(schema ? { schema: schemaRef(schema) } : {}), headers }),
  ) as AnswerDecorator<unknown>;
}

/** ApiList documents a paged list (200, an array of the entity, Portus's paging headers). */
export function ApiList<S extends ZodType>(item: S, description: string): AnswerDecorator<Array<z.output<S>>> {
  return ApiAnswer(200, z.array(item), description, PAGE_HEADERS);
}

/** ApiCsv documents a text/csv download (the handler streams it to the response itself). */
export function ApiCsv(description: string): AnswerDecorator<void> {
  return applyDecorators(
    record(200, null),
    ApiResponse({
      status: 200,
      description,
      content: { 'text/csv': { schema: { type: 'string' } } },
      headers: {
        'X-Total': { description: 'activities matching the filters', schema: { type: 'string' } },
        'Portcullis-Export-Capped': {
          description: 'set when the export stopped at this many rows',
          schema: { type: 'string' },
        },
      },
    }),
  ) as AnswerDecorator<void>;
}

/** ApiProblems declares problems a route answers beyond those completeDocument adds to every route by rule. */
export function ApiProblems(...statuses: number[]): MethodDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: PROBLEMS[status] ?? '' })));
}

/** ApiQueryFrom documents a route's query parameters with the zod object schema that parses them. */
export function ApiQueryFrom(schema: z.ZodObject): MethodDecorator {
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, SchemaObject>; required?: string[] };
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, property]) =>
      ApiQuery({
        name,
        required: json.required?.includes(name) ?? false,
        schema: property,
        description: property.description,
      }),
    ),
  );
}

/** PROBLEMS says when each problem status is answered. */
export const PROBLEMS: Record<number, string> = {
  400: 'Malformed JSON or an unreadable request body',
  401: 'Not signed in, or the credentials (Portus-Auth, session cookie) were refused',
  403: 'Not allowed; with a session cookie also a cross-origin request or a missing/invalid X-CSRF-Token',
  404: 'Not found, or not visible to the caller',
  409: 'Conflicts with the current state (a name taken, a concurrent change)',
  412: 'The entity changed since the version the request named',
  413: 'Request body over 1 MiB',
  415: 'Unsupported request body charset or encoding',
  422: 'The body or query fails validation, or the domain refuses the change',
  429: 'Too many requests; retry later',
  503: 'A storage backend is unavailable; retry shortly',
};

/** Every route: the body parser (400, 413, 415), authentication and the session's Origin/CSRF checks, the stores. */
const EVERY_ROUTE = [400, 401, 403, 413, 415, 503];
/** Commands: their deciders may refuse (422), their appends conflict (409), what they act on may be gone (404). */
const UNSAFE_METHOD = [404, 409, 422];
const UNSAFE = new Set(['post', 'put', 'patch', 'delete']);

/** POSITION is the header a command's answer carries (read-your-writes). */
const POSITION: HeaderObject = {
  description: 'global position of the change: pass it as Portcullis-Min-Position to wait for it elsewhere',
  schema: { type: 'string', pattern: '^\\d+$' },
};

/** problemsOf is every problem status an operation may answer: the rules above plus what it declared. */
export function problemsOf(
  method: string,
  path: string,
  operation: { readonly parameters?: readonly object[]; readonly responses: object },
): number[] {
  const statuses = new Set(EVERY_ROUTE);
  if (UNSAFE.has(method)) UNSAFE_METHOD.forEach((s) => statuses.add(s));
  if (path.includes('{')) statuses.add(404); // unknown or malformed ids
  if ((operation.parameters ?? []).some((p) => 'in' in p && p.in === 'query')) statuses.add(422);
  for (const status of Object.keys(operation.responses)) if (Number(status) >= 400) statuses.add(Number(status));
  return [...statuses].sort((a, b) => a - b);
}

/**
 * completeDocument adds the named entities and the problem schema to the components, and to every operation
 * the problems it may answer (problemsOf) as application/problem+json, and the position header to commands.
 */
export function completeDocument(doc: OpenAPIObject): OpenAPIObject {
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, ...entityComponents() } };
  const problem = { schema: { $ref: `${SCHEMAS}Problem` } };
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item) as Array<[string, OperationObject]>) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      const responses = operation.responses as Record<string, ResponseObject>;
      for (const status of problemsOf(method, path, operation)) {
        const declared = responses[status];
        responses[status] = {
          ...declared,
          description: declared?.description || PROBLEMS[status] || 'Error',
          // A route that answers this status with a body of its own (readiness' 503) may still get a problem
          // from the middleware in front of it.
          content: { ...declared?.content, 'application/problem+json': problem },
        };
      }
      if (UNSAFE.has(method))
        for (const [status, response] of Object.entries(responses))
          if (Number(status) < 300) response.headers = { 'Portcullis-Position': POSITION, ...response.headers };
    }
  }
  return doc;
}

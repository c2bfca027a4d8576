import { ApiBody } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { toJSONSchema, type ZodType } from 'zod';

/**
 * ApiBodyFrom documents a request body with the same zod schema that validates it, so the OpenAPI
 * document cannot drift from what the API accepts.
 */
export function ApiBodyFrom(schema: ZodType): MethodDecorator {
  const json = toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json['$schema'];
  return ApiBody({ schema: json as SchemaObject });
}

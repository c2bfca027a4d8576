import { ApiBody } from '@nestjs/swagger';
import type { ZodType } from 'zod';
import { jsonSchema } from './openapi';

/**
 * ApiBodyFrom documents a request body with the same zod schema that validates it, so the OpenAPI
 * document cannot drift from what the API accepts.
 */
export function ApiBodyFrom(schema: ZodType): MethodDecorator {
  return ApiBody({ schema: jsonSchema(schema, 'input') });
}

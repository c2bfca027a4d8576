import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';
import { answersOf } from '../platform/openapi';

/**
 * ResponseContracts holds every answer of the e2e suites to the document: each handler's body must parse with the
 * contracts schema its ApiAnswer names for the status it answered, with no field the schema lacks (the entity
 * schemas are strict), and its status must be one it documents. A mismatch fails the request with a 500 and says
 * why on stderr, so the spec that made it fails. startApi installs it; production never runs it.
 */
export class ResponseContracts implements NestInterceptor {
  /** mismatches is every mismatch seen, for a spec that wants to assert there were none. */
  static readonly mismatches: string[] = [];

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    // Routes the document leaves out (the registry's token realm and notifications) answer in their own format.
    if (isUndocumented(context.getClass())) return next.handle();
    const answers = answersOf(context.getHandler());
    const res = context.switchToHttp().getResponse<Response>();
    const route = `${context.getClass().name}.${context.getHandler().name}`;
    return next.handle().pipe(
      map((body: unknown) => {
        if (res.headersSent) return body; // the handler answered through @Res() itself (CSV, _ping)
        const answer = answers.find((a) => a.status === res.statusCode);
        const problem = !answer
          ? `answered ${res.statusCode}, which it does not document (${answers.map((a) => a.status).join(', ') || 'none'})`
          : answer.schema === null
            ? body === undefined
              ? null
              : `answered a body where it documents none`
            : mismatch(answer.schema.safeParse(JSON.parse(JSON.stringify(body ?? null))));
        if (problem === null) return body;
        const message = `${route}: ${problem}`;
        ResponseContracts.mismatches.push(message);
        console.error(`response contract: ${message}`);
        throw new Error(`response contract: ${message}`);
      }),
    );
  }
}

/** isUndocumented: the controller is left out of the OpenAPI document (@ApiExcludeController). */
function isUndocumented(controller: object): boolean {
  // @nestjs/swagger's DECORATORS.API_EXCLUDE_CONTROLLER (its dist/constants is not importable under jest).
  const excluded = Reflect.getMetadata('swagger/apiExcludeController', controller) as [boolean] | undefined;
  return excluded?.[0] === true;
}

function mismatch(result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) {
  if (result.success) return null;
  return (result.error?.issues ?? [])
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`)
    .join('; ');
}

import { ArgumentsHost } from '@nestjs/common';
import { Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import { Response } from 'express';
import { ZodError } from 'zod';
import type { Problem } from '@portcullis/contracts';
import { DomainError } from '@portcullis/domain';
import { StoreUnavailableError, WrongExpectedRevisionError } from '@portcullis/persistence';

/** Problem (libs/contracts) is RFC 9457 problem+json plus Portus's `message` member, which Portus clients read. */
export type { Problem };

const CATEGORY_STATUS: Record<DomainError['category'], number> = {
  validation: 422,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'illegal-state': 422,
};

/** zodErrors turns a ZodError into `{ "user.email": ["Invalid email"] }`. */
export function zodErrors(error: ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '(body)';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** toProblem maps anything thrown in a request to a problem; unknown errors become a bare 500. */
export function toProblem(error: unknown): Problem {
  const make = (status: number, detail: string, extra: Partial<Problem> = {}): Problem => ({
    type: 'about:blank',
    title:
      HttpStatus[status]
        ?.replace(/_/g, ' ')
        .toLowerCase()
        .replace(/^./, (c) => c.toUpperCase()) ?? 'Error',
    status,
    detail,
    message: detail,
    ...extra,
  });
  if (error instanceof DomainError) {
    if (error.code === 'AUTH.UNAUTHENTICATED') return make(401, error.message, { code: error.code });
    return make(CATEGORY_STATUS[error.category], error.message, {
      code: error.code,
      ...(error.field ? { errors: { [error.field]: [error.message] } } : {}),
    });
  }
  if (error instanceof ZodError) {
    const errors = zodErrors(error);
    const first = Object.entries(errors)[0];
    return make(422, first ? `${first[0]}: ${first[1][0]}` : 'Invalid request', { code: 'VALIDATION', errors });
  }
  if (error instanceof WrongExpectedRevisionError)
    return make(409, 'changed by another request at the same time; reload and retry', { code: 'CONCURRENCY' });
  if (error instanceof StoreUnavailableError)
    return make(503, 'a storage backend is unavailable; try again shortly', { code: 'UNAVAILABLE' });
  // body-parser marks its own errors with `type` and a status; these are client mistakes, never 500.
  const bodyError = error as { type?: string; status?: number };
  if (bodyError && bodyError.type === 'entity.parse.failed')
    return make(400, 'Malformed JSON in request body', { code: 'MALFORMED_JSON' });
  if (bodyError && bodyError.type === 'entity.too.large')
    return make(413, 'Request body too large', { code: 'TOO_LARGE' });
  if (bodyError && typeof bodyError.type === 'string' && bodyError.status && bodyError.status < 500)
    return make(bodyError.status, 'Unreadable request body', { code: 'BAD_BODY' });
  // The rate limiter (@nestjs/throttler) throws a 429 HttpException; give it a stable code and a plain message.
  if (error instanceof HttpException && error.getStatus() === 429)
    return make(429, 'Too many requests; retry later', { code: 'RATE_LIMITED' });
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const detail =
      typeof body === 'string' ? body : (((body as { message?: unknown }).message as string) ?? error.message);
    return make(status, Array.isArray(detail) ? detail.join('; ') : String(detail));
  }
  return make(500, 'Internal server error');
}

/** ProblemFilter answers every error on /api/* as application/problem+json. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const problem = toProblem(error);
    if (problem.status >= 500)
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (res.headersSent) return;
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}

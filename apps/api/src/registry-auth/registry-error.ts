import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { ScopeError } from '@portcullis/domain';
import { StoreUnavailableError } from '@portcullis/persistence';
import { Unauthenticated } from '../platform/actor';

/** TokenRequestError is a refusal of the token endpoint with the registry's error code (UNAUTHORIZED, UNSUPPORTED…). */
export class TokenRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TokenRequestError';
  }
}

/** RegistryErrorBody is distribution's error envelope, which docker and skopeo print from (registry-interop §4). */
export interface RegistryErrorBody {
  errors: Array<{ code: string; message: string; detail?: unknown }>;
}

/** INVALID_CREDENTIALS is the one message for every authentication failure, so answers never reveal who exists. */
export const INVALID_CREDENTIALS = 'invalid username or password';

/** toRegistryError maps what the token path throws to a status and the registry's error body. */
export function toRegistryError(error: unknown): { status: number; body: RegistryErrorBody } {
  const one = (status: number, code: string, message: string) => ({ status, body: { errors: [{ code, message }] } });
  if (error instanceof TokenRequestError) return one(error.status, error.code, error.message);
  if (error instanceof ScopeError) return one(401, 'UNAUTHORIZED', error.message);
  if (error instanceof Unauthenticated) return one(401, 'UNAUTHORIZED', INVALID_CREDENTIALS);
  if (error instanceof StoreUnavailableError) return one(503, 'UNAVAILABLE', 'a storage backend is unavailable');
  const bodyError = error as { type?: string; status?: number };
  if (bodyError && typeof bodyError.type === 'string' && bodyError.status && bodyError.status < 500)
    return one(bodyError.status, 'UNSUPPORTED', 'unreadable request body');
  return one(500, 'UNKNOWN', 'internal error');
}

/** sendRegistryError writes a registry-style error; 401s carry a Basic challenge, as docker expects of a realm. */
export function sendRegistryError(res: Response, error: unknown, logger?: Logger): void {
  const { status, body } = toRegistryError(error);
  if (status >= 500) logger?.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  if (status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="Portcullis"');
  res.status(status).type('application/json').send(JSON.stringify(body));
}

/**
 * RegistryErrorFilter keeps /v2 answers in the registry's error format: problem+json is for /api only,
 * and docker/skopeo show `errors[0].message` to the user.
 */
@Catch()
export class RegistryErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('registry-auth');

  catch(error: unknown, host: ArgumentsHost): void {
    sendRegistryError(host.switchToHttp().getResponse<Response>(), error, this.logger);
  }
}

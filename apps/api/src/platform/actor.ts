import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { forbidden, notFound, DomainError, type ActorRef } from '@portcullis/domain';

/** Unauthenticated is 401 "Authentication fails" (Portus's message). */
export class Unauthenticated extends DomainError {
  constructor(message = 'Authentication fails') {
    super('AUTH.UNAUTHENTICATED', 'validation', message);
  }
}

/** Actor injects the authenticated user (or null) that AuthMiddleware put on the request. */
export const Actor = createParamDecorator((_: unknown, ctx: ExecutionContext): ActorRef | null => {
  return (ctx.switchToHttp().getRequest() as { actor?: ActorRef | null }).actor ?? null;
});

/** requireUser: 401 unless someone is logged in. */
export function requireUser(actor: ActorRef | null): ActorRef {
  if (!actor) throw new Unauthenticated();
  return actor;
}

/** requireAdmin: 401 for anonymous, 403 "Authorization fails" for non-admins (Portus). */
export function requireAdmin(actor: ActorRef | null): ActorRef {
  const user = requireUser(actor);
  if (!user.admin) throw forbidden('AUTH.FORBIDDEN', 'Authorization fails');
  return user;
}

/** parseId reads a numeric path id; anything else is a 404, as an unknown record is in Portus. */
export function parseId(raw: string, what = 'record'): number {
  if (!/^[1-9]\d{0,14}$/.test(raw)) throw notFound('NOT_FOUND', `${what} not found`);
  return Number(raw);
}

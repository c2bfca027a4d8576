import { Logger, type INestApplication } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { getOptionsToken, ThrottlerGuard, ThrottlerStorage, type ThrottlerModuleOptions } from '@nestjs/throttler';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { sendRegistryError } from './registry-error';
import { RegistryTokens } from './registry-tokens';
import { answer, fromForm, fromQuery, TokenController, type Params } from './token.controller';

/**
 * tokenRoute answers `GET` and `POST /v2/token` ahead of Nest's router (ADR 0008, "Token endpoint" in
 * docs/architecture.md): the token realm is the hottest path, and a `docker pull` asks for a token per
 * repository, so the static-file lookup, body parsers, middleware and Nest's guard/filter pipeline it would
 * otherwise cross cost more than deciding and signing. It does what TokenController does, in the same order
 * and with the same pieces: the urlencoded parser and its registry-style errors, the ThrottlerGuard itself
 * (same storage, same keys as the controller's handlers, so both share one budget per client), the same
 * decoders, RegistryTokens, the same answer, RegistryErrorFilter's error mapping. Anything else (HEAD,
 * another method, a sub-path, a `Portus-Auth` header, which AuthMiddleware would check first) falls through
 * to the controller unchanged.
 */
export function tokenRoute(app: INestApplication, formParser: RequestHandler): RequestHandler {
  const logger = new Logger('registry-auth');
  // Resolved on the first request: the providers exist once createApp returns, the guard is set up once.
  let ready: Promise<{ tokens: RegistryTokens; guard: ThrottlerGuard }> | null = null;
  const setUp = async () => {
    const guard = new ThrottlerGuard(
      app.get<ThrottlerModuleOptions>(getOptionsToken(), { strict: false }),
      app.get(ThrottlerStorage, { strict: false }),
      app.get(Reflector, { strict: false }),
    );
    await guard.onModuleInit();
    return { tokens: app.get(RegistryTokens, { strict: false }), guard };
  };

  const serve = async (req: Request, res: Response, post: boolean) => {
    try {
      const { tokens, guard } = await (ready ??= setUp());
      const handler = post ? TokenController.prototype.post : TokenController.prototype.get;
      // The guard reads the route's metadata (SkipThrottle) and keys its counters by class and handler name.
      await guard.canActivate(new ExecutionContextHost([req, res], TokenController, handler));
      const request = post ? fromForm(req.body as Params | undefined, req) : fromQuery(req.query as Params, req);
      answer(res, await tokens.issue(request));
    } catch (error) {
      sendRegistryError(res, error, logger);
    }
  };

  return (req: Request, res: Response, next: NextFunction) => {
    // Mounted at /v2/token: `/` is the route itself (Express also strips a trailing slash's difference).
    const post = req.method === 'POST';
    if ((!post && req.method !== 'GET') || req.path !== '/' || req.headers['portus-auth'] !== undefined) return next();
    if (!post) return void serve(req, res, false);
    formParser(req, res, (error?: unknown) => (error ? sendRegistryError(res, error) : void serve(req, res, true)));
  };
}

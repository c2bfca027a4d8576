import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Logger, type INestApplication } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { getOptionsToken, ThrottlerGuard, ThrottlerStorage, type ThrottlerModuleOptions } from '@nestjs/throttler';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { Metrics } from '../infrastructure/metrics';
import { sendRegistryError } from './registry-error';
import { RegistryTokens } from './registry-tokens';
import type { IssuedToken } from './token-issuer.port';
import { answer, fromForm, fromQuery, TokenController, type Params } from './token.controller';

/** TOKEN_PATH is the one URL path the HTTP server's own listener answers (before Express sees the request). */
const TOKEN_PATH = '/v2/token';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * tokenRoute answers `GET` and `POST /v2/token` ahead of Nest's router (ADR 0008, ADR 0009, "Token endpoint"
 * in docs/architecture.md): the token realm is the hottest path, and a `docker pull` asks for a token per
 * repository, so the router, static files, parsers, middleware and Nest's guard/filter pipeline it would
 * otherwise cross cost more than deciding and signing. It does what TokenController does, in the same order
 * and with the same pieces: the ThrottlerGuard itself (same storage, same keys as the controller's handlers,
 * so both share one budget per client), the same decoders, RegistryTokens, the same answer body,
 * RegistryErrorFilter's error mapping.
 *
 * Two doors:
 * - `GET /v2/token?…` (exactly that path: what docker, containerd and skopeo send) is answered by a listener
 *   installed in front of Express on the HTTP server itself, so no Express routing runs at all. The request
 *   and response get Express's prototypes (as Express's own first step does), so `req.ip` honours
 *   http.trust_proxy and `req.query` uses the app's query parser, exactly as in the controller.
 * - The returned Express middleware, mounted first at /v2/token, answers the rest of GET and `POST` (the
 *   OAuth2 form, through the urlencoded parser and its registry-style errors).
 * Anything else (HEAD, another method, a sub-path, a `Portus-Auth` header, which AuthMiddleware would check
 * first) falls through to the controller unchanged.
 */
export function tokenRoute(app: INestApplication, formParser: RequestHandler): RequestHandler {
  const logger = new Logger('registry-auth');
  const metrics = app.get(Metrics, { strict: false });
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

  const serve = async (req: Request, res: Response, post: boolean, send: (res: Response, t: IssuedToken) => void) => {
    try {
      const { tokens, guard } = await (ready ??= setUp());
      const handler = post ? TokenController.prototype.post : TokenController.prototype.get;
      // The guard reads the route's metadata (SkipThrottle) and keys its counters by class and handler name.
      await guard.canActivate(new ExecutionContextHost([req, res], TokenController, handler));
      const request = post ? fromForm(req.body as Params | undefined, req) : fromQuery(req.query as Params, req);
      send(res, await metrics.observeToken(request, tokens.issue(request)));
    } catch (error) {
      sendRegistryError(res, error, logger);
    }
  };

  installServerListener(app, (req, res) => void serve(req, res, false, answerFast));

  return (req: Request, res: Response, next: NextFunction) => {
    // Mounted at /v2/token: `/` is the route itself (Express also strips a trailing slash's difference).
    const post = req.method === 'POST';
    if ((!post && req.method !== 'GET') || req.path !== '/' || req.headers['portus-auth'] !== undefined) return next();
    if (!post) return void serve(req, res, false, answer);
    formParser(req, res, (error?: unknown) =>
      error ? sendRegistryError(res, error) : void serve(req, res, true, answer),
    );
  };
}

/**
 * installServerListener puts a `request` listener in front of Express's on the app's HTTP server: a plain
 * `GET /v2/token[?query]` without `Portus-Auth` goes to `serveGet`, everything else to the listeners that
 * were there (Express), untouched.
 */
function installServerListener(app: INestApplication, serveGet: (req: Request, res: Response) => void): void {
  const server = app.getHttpServer() as Server;
  const express = app.getHttpAdapter().getInstance() as Express;
  const others = server.listeners('request') as Listener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    if (
      req.method === 'GET' &&
      url.startsWith(TOKEN_PATH) &&
      (url.length === TOKEN_PATH.length || url.charCodeAt(TOKEN_PATH.length) === 63) && // '?'
      req.headers['portus-auth'] === undefined
    ) {
      // What Express's init step does: its request/response API (ip, query, header, status, send) on the pair.
      Object.setPrototypeOf(req, express.request);
      Object.setPrototypeOf(res, express.response);
      (req as Request).res = res as Response;
      (res as Response).req = req as Request;
      return serveGet(req as Request, res as Response);
    }
    for (const listener of others) listener.call(server, req, res);
  });
}

/**
 * answerFast writes the same body and headers as `answer` without Express's send machinery (no ETag: a
 * token is never asked for twice). The token is base64url and dots, the time RFC 3339: nothing to escape.
 */
function answerFast(res: Response, t: IssuedToken): void {
  const body = `{"token":"${t.token}","access_token":"${t.token}","expires_in":${t.expiresIn},"issued_at":"${t.issuedAt}"}`;
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

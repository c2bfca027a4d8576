import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger, type INestApplication } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { getOptionsToken, ThrottlerGuard, ThrottlerStorage, type ThrottlerModuleOptions } from '@nestjs/throttler';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { Draining } from '../platform/graceful-shutdown';
import { installServerListener } from '../platform/server-listener';
import { Metrics } from '../observability/metrics';
import { sendRegistryError } from './registry-error';
import { RegistryTokens } from './registry-tokens';
import type { IssuedToken } from './token-issuer.port';
import { observeToken } from './token-metrics';
import type { TokenRequest } from './registry-tokens';
import { answer, fromForm, fromQuery, TokenController, type Params, type TokenHttpRequest } from './token.controller';

/** TOKEN_PATH is the one URL path the HTTP server's own listener answers (before Express sees the request). */
const TOKEN_PATH = '/v2/token';

type Handler = (...args: never[]) => unknown;

/** THROTTLER_SKIP is @nestjs/throttler's metadata key prefix for SkipThrottle (not exported by the package). */
const THROTTLER_SKIP = 'THROTTLER:SKIP';

/**
 * throttledCheck answers, per request, whether any rate limit applies to a token handler, so the guard runs only
 * then: which throttlers a handler skips (SkipThrottle metadata) is fixed, so it is read once per handler; each
 * throttler's `skipIf` (a limit of 0 turns it off) is still asked every time. When one applies, the caller runs
 * the whole guard, so keys, counters, headers and the 429 stay the guard's own.
 */
function throttledCheck(guard: ThrottlerGuard, reflector: Reflector) {
  type SkipIf = (context: ExecutionContextHost) => boolean;
  const { throttlers, commonOptions } = guard as unknown as {
    throttlers: ReadonlyArray<{ name: string; skipIf?: SkipIf }>;
    commonOptions: { skipIf?: SkipIf };
  };
  const active = new Map<Handler, Array<SkipIf | undefined>>();
  return (handler: Handler, context: ExecutionContextHost): boolean => {
    let skipIfs = active.get(handler);
    if (skipIfs === undefined) {
      skipIfs = throttlers
        .filter((t) => !reflector.getAllAndOverride<boolean>(THROTTLER_SKIP + t.name, [handler, TokenController]))
        .map((t) => t.skipIf ?? commonOptions.skipIf);
      active.set(handler, skipIfs);
    }
    return skipIfs.some((skipIf) => !skipIf?.(context));
  };
}

/**
 * tokenRoute answers `GET` and `POST /v2/token` ahead of Nest's router (ADR 0014, "Token endpoint"
 * in docs/architecture.md): the token realm is the hottest path, and a `docker pull` asks for a token per
 * repository, so the router, static files, parsers, middleware and Nest's guard/filter pipeline it would
 * otherwise cross cost more than deciding and signing. It does what TokenController does, in the same order
 * and with the same pieces: the ThrottlerGuard itself (same storage, same keys as the controller's handlers,
 * so both share one budget per client), the same decoders, RegistryTokens, the same answer body,
 * RegistryErrorFilter's error mapping.
 *
 * Two doors:
 * - `GET /v2/token?…` (exactly that path: what docker, containerd and skopeo send) is answered by a listener
 *   installed in front of Express on the HTTP server itself, so no Express code runs on a granted token: the
 *   query goes through the app's own query parser; Express's request/response API is put on the pair only
 *   when something needs it (a rate limit that applies, the client address of a failed login, an error).
 *   Its answers are timed into the HTTP latency histogram and say `Connection: close` while draining, as the
 *   Express middleware does for every other request; they are not access-logged one by one (the token
 *   decisions counter counts them, failed logins are recorded as on the other door, server errors logged).
 * - The returned Express middleware, mounted first at /v2/token, answers the rest of GET and `POST` (the
 *   OAuth2 form, through the urlencoded parser and its registry-style errors).
 * Anything else (HEAD, another method, a sub-path, a `Portus-Auth` header, which AuthMiddleware would check
 * first) falls through to the controller unchanged.
 */
export function tokenRoute(app: INestApplication, formParser: RequestHandler): RequestHandler {
  const logger = new Logger('registry-auth');
  const metrics = app.get(Metrics, { strict: false });
  const draining = app.get(Draining, { strict: false });
  const express = app.getHttpAdapter().getInstance() as Express;
  // Resolved on the first request: the providers exist once createApp returns, the guard is set up once.
  type Parts = {
    tokens: RegistryTokens;
    guard: ThrottlerGuard;
    throttled: (handler: Handler, context: ExecutionContextHost) => boolean;
  };
  let ready: Promise<Parts> | null = null;
  // What `ready` resolved to, once it has: later requests skip the await.
  let parts: Parts | null = null;
  const setUp = async () => {
    const reflector = app.get(Reflector, { strict: false });
    const guard = new ThrottlerGuard(
      app.get<ThrottlerModuleOptions>(getOptionsToken(), { strict: false }),
      app.get(ThrottlerStorage, { strict: false }),
      reflector,
    );
    await guard.onModuleInit();
    return { tokens: app.get(RegistryTokens, { strict: false }), guard, throttled: throttledCheck(guard, reflector) };
  };

  /** serve is the controller's handler body for both doors; `decode` reads the request once it may proceed. */
  const serve = async (
    req: Request,
    res: Response,
    handler: Handler,
    decode: () => TokenRequest,
    send: (res: Response, t: IssuedToken) => void,
    expressify: () => void,
  ) => {
    try {
      const { tokens, guard, throttled } = parts ?? (parts = await (ready ??= setUp()));
      // The guard reads the route's metadata (SkipThrottle) and keys its counters by class and handler name.
      const context = new ExecutionContextHost([req, res], TokenController, handler);
      if (throttled(handler, context)) {
        expressify();
        await guard.canActivate(context);
      }
      const request = decode();
      send(res, await observeToken(metrics, request, tokens.issue(request)));
    } catch (error) {
      expressify();
      sendRegistryError(res, error, logger);
    }
  };

  const parseQuery = (express.get('query parser fn') as ((query: string) => Params) | undefined) ?? (() => ({}));
  installServerListener(app, isFastTokenRequest, (req: IncomingMessage, res: ServerResponse) => {
    const start = performance.now();
    if (draining.active) res.setHeader('Connection', 'close');
    const http = new ListenerRequest(req, res, express);
    void serve(
      req as Request,
      res as Response,
      TokenController.prototype.get,
      () => fromQuery(http.query(parseQuery), http),
      answerFast,
      http.expressify,
    ).then(() => {
      const statusClass = res.writableEnded && !res.destroyed ? `${Math.floor(res.statusCode / 100)}xx` : 'aborted';
      metrics.httpRequest('GET', TOKEN_PATH, statusClass, (performance.now() - start) / 1000);
    });
  });

  const expressAlready = () => undefined;
  return (req: Request, res: Response, next: NextFunction) => {
    // Mounted at /v2/token: `/` is the route itself (Express also strips a trailing slash's difference).
    const post = req.method === 'POST';
    if ((!post && req.method !== 'GET') || req.path !== '/' || req.headers['portus-auth'] !== undefined) return next();
    if (!post)
      return void serve(
        req,
        res,
        TokenController.prototype.get,
        () => fromQuery(req.query as Params, req),
        answer,
        expressAlready,
      );
    formParser(req, res, (error?: unknown) =>
      error
        ? sendRegistryError(res, error)
        : void serve(
            req,
            res,
            TokenController.prototype.post,
            () => fromForm(req.body as Params | undefined, req),
            answer,
            expressAlready,
          ),
    );
  };
}

/**
 * ListenerRequest is what the decoders read of a request the server's listener answers: its headers, its query
 * (through the app's parser) and, only when asked, the client address, for which (as for the guard and the
 * error answer) `expressify` does what Express's init step does: its request/response API on the pair.
 */
class ListenerRequest implements TokenHttpRequest {
  private expressified = false;

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly express: Express,
  ) {}

  header(name: string): string | undefined {
    return this.req.headers[name.toLowerCase()] as string | undefined;
  }

  get ip(): string | undefined {
    this.expressify();
    return (this.req as Request).ip;
  }

  query(parse: (query: string) => Params): Params {
    const url = this.req.url as string;
    const q = url.indexOf('?');
    return q < 0 ? {} : parse(url.slice(q + 1));
  }

  readonly expressify = (): void => {
    if (this.expressified) return;
    this.expressified = true;
    Object.setPrototypeOf(this.req, this.express.request);
    Object.setPrototypeOf(this.res, this.express.response);
    (this.req as Request).res = this.res as Response;
    (this.res as Response).req = this.req as Request;
  };
}

/** isFastTokenRequest: exactly `GET /v2/token[?query]` without `Portus-Auth` (which AuthMiddleware checks first). */
function isFastTokenRequest(req: IncomingMessage): boolean {
  const url = req.url ?? '';
  return (
    req.method === 'GET' &&
    url.startsWith(TOKEN_PATH) &&
    (url.length === TOKEN_PATH.length || url.charCodeAt(TOKEN_PATH.length) === 63) && // '?'
    req.headers['portus-auth'] === undefined
  );
}

/**
 * answerFast writes the same body and headers as `answer` without Express's send machinery (no ETag: a
 * token is never asked for twice; node:http adds Content-Length for a body given to `end`). The token is
 * base64url and dots, the time RFC 3339: nothing to escape.
 */
function answerFast(res: Response, t: IssuedToken): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`{"token":"${t.token}","access_token":"${t.token}","expires_in":${t.expiresIn},"issued_at":"${t.issuedAt}"}`);
}

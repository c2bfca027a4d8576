import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger, type INestApplication } from '@nestjs/common';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { Draining } from '../platform/graceful-shutdown';
import { installServerListener } from '../platform/server-listener';
import { Metrics } from '../observability/metrics';
import { sendRegistryError } from './registry-error';
import { RegistryTokens, type TokenRequest } from './registry-tokens';
import type { IssuedToken } from './token-issuer.port';
import { observeToken } from './token-metrics';
import { TokenRateLimit } from './token-rate-limit';
import { answer, fromForm, fromQuery, type Params, type TokenHttpRequest } from './token.controller';

/** TOKEN_PATH is the one URL path the HTTP server's own listener answers (before Express sees the request). */
const TOKEN_PATH = '/v2/token';

/**
 * tokenRoute answers `GET` and `POST /v2/token` ahead of Nest's router (ADR 0014, "Token endpoint"
 * in docs/architecture.md): the token realm is the hottest path, and a `docker pull` asks for a token per
 * repository, so the router, static files, parsers, middleware and Nest's guard/filter pipeline it would
 * otherwise cross cost more than deciding and signing. It does what TokenController does, in the same order
 * and with the same pieces: the same TokenRateLimit (one instance: the doors and the controller share every
 * client's budget), the same decoders, RegistryTokens, the same answer body, RegistryErrorFilter's error
 * mapping.
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
  const tokens = app.get(RegistryTokens, { strict: false });
  const limit = app.get(TokenRateLimit, { strict: false });

  /**
   * serve is the controller's handler body for both doors: the limit (which reads the client address only
   * when a limit applies), then `decode` reads the request.
   */
  const serve = async (
    req: TokenHttpRequest,
    res: Response,
    decode: () => TokenRequest,
    send: (res: Response, t: IssuedToken) => void,
    expressify: () => void,
  ) => {
    try {
      limit.check(req, res);
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
    void serve(http, res as Response, () => fromQuery(http.query(parseQuery), http), answerFast, http.expressify).then(
      () => {
        const statusClass = res.writableEnded && !res.destroyed ? `${Math.floor(res.statusCode / 100)}xx` : 'aborted';
        metrics.httpRequest('GET', TOKEN_PATH, statusClass, (performance.now() - start) / 1000);
      },
    );
  });

  const expressAlready = () => undefined;
  return (req: Request, res: Response, next: NextFunction) => {
    // Mounted at /v2/token: `/` is the route itself (Express also strips a trailing slash's difference).
    const post = req.method === 'POST';
    if ((!post && req.method !== 'GET') || req.path !== '/' || req.headers['portus-auth'] !== undefined) return next();
    if (!post) return void serve(req, res, () => fromQuery(req.query as Params, req), answer, expressAlready);
    formParser(req, res, (error?: unknown) =>
      error
        ? sendRegistryError(res, error)
        : void serve(req, res, () => fromForm(req.body as Params | undefined, req), answer, expressAlready),
    );
  };
}

/**
 * ListenerRequest is what the decoders and the limit read of a request the server's listener answers: its
 * headers, its query (through the app's parser) and, only when asked, the client address, for which (as for
 * the error answer) `expressify` does what Express's init step does: its request/response API on the pair.
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

  /**
   * ip is Express's `req.ip`: proxy-addr over the socket's peer and X-Forwarded-For under the app's `trust proxy
   * fn`. Without that header, or from a peer that is not a trusted proxy, it is the peer itself, so Express is
   * put on the pair only when a trusted proxy may name the client (the rate limit asks on every request).
   */
  get ip(): string | undefined {
    const peer = this.req.socket.remoteAddress;
    if (this.req.headers['x-forwarded-for'] === undefined || peer === undefined) return peer;
    const trust = this.express.get('trust proxy fn') as (address: string, hop: number) => boolean;
    if (!trust(peer, 0)) return peer;
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

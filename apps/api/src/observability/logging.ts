import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { pino, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { storage, Store } from 'nestjs-pino/storage';
import type { AppConfig } from '@portcullis/config';

/** REQUEST_ID_HEADER is read from clients and proxies when sane, and always echoed on the answer. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A request id we accept from outside: 1–128 visible characters of the kinds ids (UUID, ULID, trace ids) use. */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:;=+/@-]{0,127}$/;

/** saneRequestId is the incoming request id when it is one value of sane length and characters, else null. */
export function saneRequestId(header: string | string[] | undefined): string | null {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : null;
}

/** requestIdOf is a request's id: its sane X-Request-Id or a new one, echoed on the answer. */
function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const id = saneRequestId(req.headers['x-request-id']) ?? randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** REDACTED replaces every secret a log line would otherwise carry. */
export const REDACTED = '[redacted]';

/**
 * REDACT_PATHS are the fields pino blanks in anything logged as an object: credentials headers (Authorization,
 * Cookie, Portus-Auth, X-CSRF-Token, Set-Cookie), passwords, tokens and secrets (webhook and notification
 * secrets included). The request serializer below logs no headers and no bodies at all; these paths are for
 * whatever else code might log.
 */
export const REDACT_PATHS = [
  ...['authorization', 'cookie', '"portus-auth"', '"x-csrf-token"', '"set-cookie"'].flatMap((h) => [
    `req.headers.${h}`,
    `res.headers.${h}`,
    `headers.${h}`,
  ]),
  ...['password', 'token', 'secret', 'plain_token', 'refresh_token', 'access_token', 'authorization'].flatMap((f) => [
    f,
    `*.${f}`,
    `*.*.${f}`,
  ]),
];

/** Query parameters whose values never reach a log line. */
const SECRET_PARAMS = /^(password|passwd|token|secret|refresh_token|access_token|id_token|code|key|auth)$/i;

/** safeUrl is a request URL for logging: path kept, the values of credential-like query parameters redacted. */
export function safeUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const parts = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // A malformed name is logged as sent; it is not one of the secret names either way.
      }
      return eq >= 0 && SECRET_PARAMS.test(decoded) ? `${name}=${REDACTED}` : pair;
    });
  return `${url.slice(0, q)}?${parts.join('&')}`;
}

/** Probe paths that are asked every few seconds: answered and measured, but not access-logged. */
const QUIET = new Set(['/metrics', '/api/v1/health/live', '/api/v1/health/ready', '/api/v1/_ping']);

/** Logging is one app's root logger and the front middleware that gives each request its id and log line. */
export interface Logging {
  readonly root: Logger;
  readonly http: RequestHandler;
}

/** createRootLogger is the JSON logger (one object per line) at log_level, with REDACT_PATHS applied. */
export function createRootLogger(config: Pick<AppConfig, 'logLevel'>, destination?: DestinationStream): Logger {
  return pino(
    {
      name: 'portcullis-api',
      level: config.logLevel,
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/**
 * createLogging builds the root logger and the request middleware: it takes a sane X-Request-Id or makes one,
 * echoes it, writes one access line per request (method, safe URL, status, time; never headers or bodies)
 * and binds the request's logger for nestjs-pino, so what Nest's Logger says during a request carries its id.
 */
export function createLogging(config: Pick<AppConfig, 'logLevel'>, destination?: DestinationStream): Logging {
  const root = createRootLogger(config, destination);
  const httpLogger = pinoHttp<IncomingMessage, ServerResponse>({
    logger: root,
    quietReqLogger: true,
    genReqId: requestIdOf,
    autoLogging: { ignore: (req) => QUIET.has((req.url ?? '').split('?')[0]) },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    serializers: {
      req: (req: { method?: string; url?: string; remoteAddress?: string }) => ({
        method: req.method,
        url: safeUrl(req.url ?? ''),
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  });
  const http = (req: Request, res: Response, next: NextFunction) =>
    httpLogger(req, res, () => storage.run(new Store(req.log), next));
  return { root, http };
}

/**
 * RequestLogScope runs a request answered on the HTTP server's own listener (the registry's notifications)
 * with what the middleware gives every Express request, but no access line: a sane X-Request-Id or a new one,
 * echoed, and a logger bound to it for whatever Nest's Logger says meanwhile (so those lines carry `reqId`).
 */
export type RequestLogScope = <T>(req: IncomingMessage, res: ServerResponse, run: () => T) => T;

/** requestLogScope builds the RequestLogScope of a root logger. */
export function requestLogScope(root: Logger): RequestLogScope {
  return (req, res, run) => storage.run(new Store(root.child({ reqId: requestIdOf(req, res) })), run);
}

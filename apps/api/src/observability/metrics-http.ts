import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Metrics } from './metrics';

/** METRICS_PATH is where Prometheus scrapes (outside the /api prefix, as exporters usually are). */
export const METRICS_PATH = '/metrics';

/** routeOf is the route template of an answered request, or a fixed name for what no route answered. */
export function routeOf(req: Request, status: number): string {
  const route = (req as Request & { route?: { path?: unknown } }).route?.path;
  if (typeof route === 'string') return `${req.baseUrl}${route}`;
  const url = req.originalUrl;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  // The token realm is answered ahead of Nest's router, and /metrics by an Express handler.
  if (path === '/v2/token' || path === '/v2/token/') return '/v2/token';
  if (path === METRICS_PATH) return METRICS_PATH;
  // Middleware refusals (bad credentials, CSRF), static files, the SPA, unknown paths: bounded label values.
  return status === 404 ? 'unmatched' : 'other';
}

/** httpMetrics times every request from the first byte Express sees to the end of the answer. */
export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const start = performance.now();
    res.once('close', () => {
      const status = res.statusCode;
      const statusClass = res.writableFinished ? `${Math.floor(status / 100)}xx` : 'aborted';
      metrics.httpRequest(req.method, routeOf(req, status), statusClass, (performance.now() - start) / 1000);
    });
    next();
  };
}

/** MetricsRefusal is why a scrape is refused. */
export interface MetricsRefusal {
  readonly status: 401 | 403;
  readonly message: string;
}

const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'] as const;

/** isLoopback: 127.0.0.0/8, ::1, and IPv4-mapped loopback. */
function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * metricsRefusal decides who may read /metrics (metrics.token). With a token: exactly `Authorization: Bearer
 * <token>`, compared in constant time, from anywhere. Without: only a client on this machine, judged by the
 * socket's address (never by X-Forwarded-For), and only when no proxy header is present, since a reverse proxy
 * on the same host would otherwise turn any outside request into a loopback one.
 */
export function metricsRefusal(
  token: string | null,
  remoteAddress: string | undefined,
  headers: IncomingHttpHeaders,
): MetricsRefusal | null {
  if (token !== null) {
    const given = headers.authorization;
    const ok =
      typeof given === 'string' &&
      given.startsWith('Bearer ') &&
      timingSafeEqual(digest(given.slice(7)), digest(token));
    return ok ? null : { status: 401, message: 'metrics need the bearer token configured as metrics.token' };
  }
  if (!isLoopback(remoteAddress) || PROXY_HEADERS.some((h) => headers[h] !== undefined))
    return {
      status: 403,
      message: 'metrics are served to loopback clients only; set metrics.token to scrape remotely',
    };
  return null;
}

/**
 * answerMetrics answers one request for /metrics: 405 unless GET or HEAD, the refusal of metricsRefusal, else the
 * Prometheus text. Both doors use it: the api's Express mount and a stand-alone process's own listener.
 */
function answerMetrics(metrics: Metrics, token: string | null, req: IncomingMessage, res: ServerResponse): void {
  const plain = (status: number, text: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
    res.end(text);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(405, 'use GET', { Allow: 'GET, HEAD' });
  const refusal = metricsRefusal(token, req.socket.remoteAddress, req.headers);
  if (refusal)
    return plain(
      refusal.status,
      refusal.message,
      refusal.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="metrics"' } : {},
    );
  metrics.registry.metrics().then(
    (text) => {
      // Written as is: Express's send would reorder the content type's parameters.
      res.writeHead(200, { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : text);
    },
    (e: Error) => plain(500, `metrics failed: ${e.message}`),
  );
}

/** metricsEndpoint answers GET/HEAD /metrics in Prometheus text format (mounted at METRICS_PATH). */
export function metricsEndpoint(metrics: Metrics, token: string | null): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path !== '/') return next();
    answerMetrics(metrics, token, req, res);
  };
}

/**
 * startMetricsListener serves GET/HEAD /metrics on its own node:http server, for a process without an api
 * (the stand-alone webhook dispatcher): the same access rule (metricsRefusal) and the same text as the api's
 * endpoint; 405 for another method, 404 for another path. It resolves once listening; close() stops it.
 */
export async function startMetricsListener(
  metrics: Metrics,
  options: { host: string; port: number; token: string | null },
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if ((req.url ?? '').split('?')[0] === METRICS_PATH) return answerMetrics(metrics, options.token, req, res);
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found: this process serves /metrics only');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}${METRICS_PATH}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

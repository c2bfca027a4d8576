import type { Server } from 'node:http';
import { Injectable, type INestApplication, type LoggerService } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Draining is this process's shutdown state: once active, readiness answers 503 and connections are not kept. */
@Injectable()
export class Draining {
  active = false;
}

/** drainingHeaders asks keep-alive clients to reconnect (to another replica) once shutdown has begun. */
export function drainingHeaders(draining: Draining): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    if (draining.active) res.setHeader('Connection', 'close');
    next();
  };
}

/**
 * drainAndClose stops the api in the order that loses nothing: readiness turns 503 and the listener closes
 * (new connections are refused), in-flight requests finish within `drainMs` (idle keep-alive connections are
 * closed as soon as their answer is out; whatever is still open after `drainMs` is cut), and only then does
 * Nest's shutdown run: the webhook dispatcher and bus stop, the projections stop, the stores close.
 * Resolves with whether every request finished in time.
 */
export async function drainAndClose(app: INestApplication, drainMs: number, logger: LoggerService): Promise<boolean> {
  app.get(Draining).active = true;
  const server = app.getHttpServer() as Server;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // A connection becomes idle once its answer is out; close each as soon as it does.
  const idle = setInterval(() => server.closeIdleConnections(), 50);
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const drained = await Promise.race([
    closed.then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), drainMs))),
  ]);
  clearTimeout(timer);
  clearInterval(idle);
  if (!drained) {
    logger.warn(`requests still in flight after ${drainMs} ms (shutdown.drain_timeout_ms): closing their connections`);
    server.closeAllConnections();
    await closed;
  }
  await app.close();
  return drained;
}

/**
 * onShutdownSignals runs drainAndClose on the first SIGTERM or SIGINT and exits 0 once it is done (1 if it
 * failed); a second signal cuts the remaining connections at once.
 */
export function onShutdownSignals(app: INestApplication, drainMs: number, logger: LoggerService): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: closing every connection now`);
      (app.getHttpServer() as Server).closeAllConnections();
      return;
    }
    stopping = true;
    logger.log(`${signal}: draining (up to ${drainMs} ms), then stopping consumers and closing stores`);
    drainAndClose(app, drainMs, logger).then(
      () => {
        logger.log('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error(`shutdown failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

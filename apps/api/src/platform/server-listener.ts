import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';

/** ServerListener is a `request` listener of node:http. */
export type ServerListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * installServerListener puts a `request` listener in front of Express's on the app's HTTP server: a request
 * `matches` accepts goes to `serve`, everything else to the listeners that were there (Express, or a listener
 * installed earlier), untouched. The registry's hot paths (the token realm, its notifications) are answered
 * this way (ADR 0014, ADR 0015): the router, static files, parsers, middleware and Nest's pipeline they would
 * otherwise cross cost more than the work itself.
 */
export function installServerListener(
  app: INestApplication,
  matches: (req: IncomingMessage) => boolean,
  serve: ServerListener,
): void {
  const server = app.getHttpServer() as Server;
  const others = server.listeners('request') as ServerListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (matches(req)) return serve(req, res);
    for (const listener of others) listener.call(server, req, res);
  });
}

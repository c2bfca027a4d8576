import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger, type INestApplication } from '@nestjs/common';
import { Draining } from '../platform/graceful-shutdown';
import { installServerListener } from '../platform/server-listener';
import type { RequestLogScope } from '../observability/logging';
import { Metrics } from '../observability/metrics';
import { NotificationIntake, toNotificationError } from './notification-intake';

/** NOTIFICATION_PATH is the URL the generated registry config posts notifications to. */
export const NOTIFICATION_PATH = '/v2/webhooks/events';

/**
 * notificationRoute answers `POST /v2/webhooks/events` (exactly that URL: what the generated config posts to)
 * on the HTTP server's own listener, ahead of Express (ADR 0015): a registry sends one notification per
 * manifest push and per pull, and the router, static-file lookup, access log and Nest pipeline cost more than
 * recording the event. It runs the same NotificationIntake as RegistryEventsController, answers 202 with the
 * same body or the same registry-style error, times the answer into the HTTP latency histogram under the same
 * route label, and says `Connection: close` while draining. It takes and echoes X-Request-Id as the middleware
 * does, and what the intake logs carries it; it is not access-logged per request: refusals are logged by the
 * intake, recorded pushes and deletes log a line each, server errors are logged with the stack.
 */
export function notificationRoute(app: INestApplication, logScope: RequestLogScope): void {
  const logger = new Logger('registry-events');
  const metrics = app.get(Metrics, { strict: false });
  const draining = app.get(Draining, { strict: false });
  const intake = app.get(NotificationIntake, { strict: false });
  installServerListener(
    app,
    (req) => req.method === 'POST' && req.url === NOTIFICATION_PATH,
    (req: IncomingMessage, res: ServerResponse) => {
      const start = performance.now();
      if (draining.active) res.setHeader('Connection', 'close');
      const send = (status: number, body: string, challenge: string | null = null) => {
        if (res.headersSent || res.destroyed) return;
        const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
        if (challenge) headers['www-authenticate'] = challenge;
        res.writeHead(status, headers);
        res.end(body);
      };
      void logScope(req, res, () =>
        intake.receive(req).then(
          (answer) => send(202, JSON.stringify(answer)),
          (error: unknown) => {
            const refusal = toNotificationError(error, logger);
            send(refusal.status, refusal.body, refusal.challenge);
          },
        ),
      ).then(() => {
        const statusClass = res.writableEnded && !res.destroyed ? `${Math.floor(res.statusCode / 100)}xx` : 'aborted';
        metrics.httpRequest('POST', NOTIFICATION_PATH, statusClass, (performance.now() - start) / 1000);
      });
    },
  );
}

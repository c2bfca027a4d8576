import type { IncomingMessage } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import { ZodError } from 'zod';
import { RegistryNotificationEnvelope } from '@portcullis/contracts';
import { StoreUnavailableError } from '@portcullis/persistence';
import { AclIndex } from '../registry-auth/acl-index';
import { NotificationSecrets } from './notification-secrets';
import { RegistryEventProcessor, type EventOutcome } from './registry-event-processor';

/** NotificationError is a refusal in the registry's own error format. */
export class NotificationError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** NotificationAnswer is what the endpoint answers 202 with: each event's outcome, in order. */
export interface NotificationAnswer {
  events: Array<{ id: string; outcome: EventOutcome }>;
}

/** NotificationErrorAnswer is a refusal as distribution writes it (`{"errors":[{code,message,detail}]}`). */
export interface NotificationErrorAnswer {
  status: number;
  body: string;
  /** challenge is the WWW-Authenticate value of a 401. */
  challenge: string | null;
}

/**
 * toNotificationError maps what the intake throws to the registry's error format, which is what shows up in
 * the registry's log. Server errors are logged (with the stack); refusals are the sender's problem.
 */
export function toNotificationError(error: unknown, logger: Logger): NotificationErrorAnswer {
  let status = 500;
  let code = 'UNKNOWN';
  let message = 'internal error';
  if (error instanceof NotificationError) ({ status, code, message } = error);
  else if (error instanceof ZodError) {
    status = 400;
    code = 'UNSUPPORTED';
    message = `not a registry notification: ${error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
  } else if (error instanceof StoreUnavailableError) {
    // The registry retries a failed delivery (threshold/backoff in its config): nothing is lost.
    status = 503;
    code = 'UNAVAILABLE';
    message = 'a storage backend is unavailable; retry later';
    logger.warn(`notification not recorded: ${error.message}`);
  } else logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return {
    status,
    body: JSON.stringify({ errors: [{ code, message: message.slice(0, 2000), detail: null }] }),
    challenge: status === 401 ? 'Bearer realm="registry-notifications"' : null,
  };
}

const MAX_BODY = 1024 * 1024;

/** readBody reads the raw body (no body parser runs outside /api) up to 1 MiB. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new NotificationError(413, 'SIZE_INVALID', 'notification body over 1 MiB'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * NotificationIntake is the registry's notification endpoint, behind both of its doors (the HTTP server's own
 * listener, notificationRoute, and RegistryEventsController for what that listener passes on). Unlike Portus's,
 * it requires the registry's secret; it accepts the v1/v2 envelope whatever the Content-Type; it answers once
 * the events are recorded (pulls are only noted in memory, so they answer at once).
 */
@Injectable()
export class NotificationIntake {
  private readonly logger = new Logger('registry-events');

  constructor(
    private readonly secrets: NotificationSecrets,
    private readonly index: AclIndex,
    private readonly processor: RegistryEventProcessor,
  ) {}

  async receive(req: IncomingMessage): Promise<NotificationAnswer> {
    // The token path's memoised copy: registries change rarely, notifications arrive with every push and pull.
    const registries = await this.index.facts('registries', (r) => r.registries());
    const id = this.secrets.identify(
      req.headers.authorization,
      registries.map((r) => r['id'] as number),
    );
    const registry = registries.find((r) => r['id'] === id);
    if (!registry) {
      // Drain the body so the connection can be reused, but never parse what an unknown sender sent.
      req.resume();
      // Who knocked, never what they sent: a wrong secret is a misconfigured registry or a probe.
      this.logger.warn(`notification refused (secret missing or wrong) from ${req.socket.remoteAddress ?? '?'}`);
      throw new NotificationError(401, 'UNAUTHORIZED', 'notification secret missing or wrong');
    }
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req)).toString('utf8'));
    } catch (e) {
      if (e instanceof NotificationError) throw e;
      throw new NotificationError(400, 'UNSUPPORTED', 'notification body is not JSON');
    }
    const envelope = RegistryNotificationEnvelope.parse(body);
    const ref = {
      id: registry['id'] as number,
      hostname: registry['hostname'] as string,
      useSsl: registry['use_ssl'] === true,
    };
    const events = [];
    for (const event of envelope.events) {
      const outcome = await this.processor.process(ref, event);
      if (outcome !== 'pull-noted' && outcome !== 'ignored')
        this.logger.log(
          `${event.action} ${event.target.repository}:${event.target.tag ?? event.target.digest} ${outcome}`,
        );
      events.push({ id: event.id, outcome });
    }
    return { events };
  }
}

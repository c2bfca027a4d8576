import {
  Catch,
  Controller,
  HttpCode,
  Logger,
  Post,
  Req,
  UseFilters,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ZodError } from 'zod';
import { RegistryNotificationEnvelope } from '@portcullis/contracts';
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

/**
 * NotificationErrorFilter answers /v2/webhooks/events errors as distribution does
 * (`{"errors":[{code,message,detail}]}`), which is what shows up in the registry's log.
 */
@Catch()
export class NotificationErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('registry-events');

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let status = 500;
    let code = 'UNKNOWN';
    let message = 'internal error';
    if (error instanceof NotificationError) ({ status, code, message } = error);
    else if (error instanceof ZodError) {
      status = 400;
      code = 'UNSUPPORTED';
      message = `not a registry notification: ${error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
    } else this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="registry-notifications"');
    res
      .status(status)
      .type('application/json')
      .send(JSON.stringify({ errors: [{ code, message: message.slice(0, 2000), detail: null }] }));
  }
}

const MAX_BODY = 1024 * 1024;

/** readBody reads the raw body (no body parser runs outside /api) up to 1 MiB. */
function readBody(req: Request): Promise<Buffer> {
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
 * RegistryEventsController is the registry's notification endpoint. Unlike Portus's, it requires the
 * registry's secret; it accepts the v1/v2 envelope whatever the Content-Type; it answers 202 once the
 * events are recorded (pulls are only noted in memory, so they answer at once).
 */
@ApiExcludeController()
@UseFilters(NotificationErrorFilter)
@Controller('v2/webhooks')
export class RegistryEventsController {
  private readonly logger = new Logger('registry-events');

  constructor(
    private readonly secrets: NotificationSecrets,
    private readonly index: AclIndex,
    private readonly processor: RegistryEventProcessor,
  ) {}

  @Post('events')
  @HttpCode(202)
  async receive(@Req() req: Request): Promise<{ events: Array<{ id: string; outcome: EventOutcome }> }> {
    // The token path's memoised copy: registries change rarely, notifications arrive with every push and pull.
    const registries = await this.index.facts('registries', (r) => r.registries());
    const id = this.secrets.identify(
      req.header('authorization'),
      registries.map((r) => r['id'] as number),
    );
    const registry = registries.find((r) => r['id'] === id);
    if (!registry) {
      // Drain the body so the connection can be reused, but never parse what an unknown sender sent.
      req.resume();
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

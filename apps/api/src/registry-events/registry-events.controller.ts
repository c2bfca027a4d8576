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
import { NotificationIntake, toNotificationError, type NotificationAnswer } from './notification-intake';

/**
 * NotificationErrorFilter answers /v2/webhooks/events errors as distribution does
 * (`{"errors":[{code,message,detail}]}`), which is what shows up in the registry's log.
 */
@Catch()
export class NotificationErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('registry-events');

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const answer = toNotificationError(error, this.logger);
    if (answer.challenge) res.setHeader('WWW-Authenticate', answer.challenge);
    res.status(answer.status).type('application/json').send(answer.body);
  }
}

/**
 * RegistryEventsController is the notification endpoint's second door: the HTTP server's own listener
 * (notificationRoute) answers `POST /v2/webhooks/events` itself, and passes on what it does not take (a query
 * string, a trailing slash) to this route, which runs the same NotificationIntake.
 */
@ApiExcludeController()
@UseFilters(NotificationErrorFilter)
@Controller('v2/webhooks')
export class RegistryEventsController {
  constructor(private readonly intake: NotificationIntake) {}

  @Post('events')
  @HttpCode(202)
  receive(@Req() req: Request): Promise<NotificationAnswer> {
    return this.intake.receive(req);
  }
}

import { Controller, Inject, Param, Put, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { lockoutDecider, loginStreamId, notFound, type ActorRef } from '@portcullis/domain';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { Clock } from '../platform/clock';
import { ReadSide } from '../platform/read-side';
import { Actor, parseId, requireAdmin } from '../platform/actor';
import { EventSourcing } from '../platform/event-sourcing';
import { settle } from '../platform/http';
import { toUserEntity } from '../users/entities';
import { ApiAnswer } from '../platform/openapi';
import { UserEntity } from '@portcullis/contracts';

/** UnlockController lets an admin lift a brute-force lock before it expires (Devise's unlock_access!). */
@ApiTags('users')
@Controller('v1/users')
export class UnlockController {
  constructor(
    private readonly es: EventSourcing,
    private readonly read: ReadSide,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Put(':id/unlock')
  @ApiOperation({ summary: 'Unlock a user locked by failed logins (admin)' })
  @ApiAnswer(200, UserEntity, 'The user, unlocked')
  async unlock(@Actor() actor: ActorRef | null, @Param('id') rawId: string, @Res({ passthrough: true }) res: Response) {
    const admin = requireAdmin(actor);
    const id = parseId(rawId, 'user');
    if (!(await this.read.user(id))) throw notFound('USER.NOT_FOUND', 'user not found');
    const out = await this.es.handle(
      lockoutDecider,
      loginStreamId(id),
      {
        type: 'UnlockUser',
        data: { userId: id, policy: this.config.lockout },
        metadata: { now: this.clock.iso(), actor: admin },
      },
      { retryOnConflict: true },
    );
    await settle(this.read, res, out.position);
    const user = await this.read.user(id);
    if (!user) throw notFound('USER.NOT_FOUND', 'user not found');
    return toUserEntity(user);
  }
}

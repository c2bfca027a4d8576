import { Controller, Inject, Param, Put, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CommandBus } from '@nestjs/cqrs';
import { notFound, type ActorRef } from '@portcullis/domain';
import { ReadSide } from '../platform/read-side';
import { Actor, parseId, requireAdmin } from '../platform/actor';
import { settle } from '../platform/http';
import { UnlockUserCommand } from '../identity/lockout.commands';
import { toUserEntity } from '../users/entities';
import { ApiAnswer } from '../platform/openapi';
import { UserEntity } from '@portcullis/contracts';

/** UnlockController lets an admin lift a brute-force lock before it expires (Devise's unlock_access!). */
@ApiTags('users')
@Controller('v1/users')
export class UnlockController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    private readonly read: ReadSide,
  ) {}

  @Put(':id/unlock')
  @ApiOperation({ summary: 'Unlock a user locked by failed logins (admin)' })
  @ApiAnswer(200, UserEntity, 'The user, unlocked')
  async unlock(@Actor() actor: ActorRef | null, @Param('id') rawId: string, @Res({ passthrough: true }) res: Response) {
    const admin = requireAdmin(actor);
    const id = parseId(rawId, 'user');
    if (!(await this.read.user(id))) throw notFound('USER.NOT_FOUND', 'user not found');
    const position = await this.commands.execute(new UnlockUserCommand(admin, id));
    await settle(this.read, res, position);
    const user = await this.read.user(id);
    if (!user) throw notFound('USER.NOT_FOUND', 'user not found');
    return toUserEntity(user);
  }
}

import { Controller, Delete, HttpCode, Param, Put, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ActorRef } from '@portcullis/domain';
import { hasStarred } from '@portcullis/read-models';
import { ReadSide } from '../platform/read-side';
import { RepositoryViews } from './repositories.controller';
import { RepositoryAccess } from './repository-access';
import { Actor, parseId, requireUser } from '../platform/actor';
import { settle } from '../platform/http';
import { ApiAnswer } from '../platform/openapi';
import { ChangeStarCommand } from './stars.commands';

/**
 * StarsController is PUT/DELETE /api/v1/repositories/:id/star. Both are idempotent from the user's side:
 * 204 whether or not the star was already there, and no event for a repeat.
 */
@ApiTags('repositories')
@ApiHeader({ name: 'Portus-Auth', description: '<username>:<application token>', required: false })
@Controller('v1/repositories')
export class StarsController {
  private readonly views: RepositoryViews;

  constructor(
    private readonly commands: CommandBus,
    read: ReadSide,
    access: RepositoryAccess,
  ) {
    this.views = new RepositoryViews(read, access);
  }

  @Put(':id/star')
  @HttpCode(204)
  @ApiOperation({ summary: 'Star a repository you can see (204; starring twice changes nothing)' })
  @ApiAnswer(204, null, 'Starred')
  async star(@Actor() actor: ActorRef | null, @Param('id') rawId: string, @Res({ passthrough: true }) res: Response) {
    const me = requireUser(actor);
    const s = await this.views.visible(parseId(rawId, 'repository'), me);
    const done = await this.commands.execute(new ChangeStarCommand(me, s.repository['id'] as number, true));
    await settle(this.views.read, res, done.position);
  }

  @Delete(':id/star')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unstar a repository (204; also when it was not starred)' })
  @ApiAnswer(204, null, 'Not starred')
  async unstar(@Actor() actor: ActorRef | null, @Param('id') rawId: string, @Res({ passthrough: true }) res: Response) {
    const me = requireUser(actor);
    const id = parseId(rawId, 'repository');
    // A star on a repository that has since turned private may still be removed; anything else must be visible.
    if (!(await hasStarred(this.views.read.store, me.id, id))) await this.views.visible(id, me);
    const done = await this.commands.execute(new ChangeStarCommand(me, id, false));
    await settle(this.views.read, res, done.position);
  }
}

import { Controller, Get, Query } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UserLookupEntity } from '@portcullis/contracts';
import { z } from 'zod';
import type { ActorRef } from '@portcullis/domain';
import type { Doc } from '@portcullis/persistence';
import { ReadSide } from '../platform/read-side';
import { Actor, requireUser } from '../platform/actor';
import { parse } from '../platform/http';
import { ApiAnswer, ApiQueryFrom } from '../platform/openapi';

type D = Doc & Record<string, unknown>;

/** LOOKUP_LIMIT caps a typeahead answer: a list, not a directory dump. */
export const LOOKUP_LIMIT = 10;

const LookupQuery = z.object({ q: z.string().trim().min(1).max(255).describe('username prefix, case-insensitive') });

/**
 * UserLookupController is GET /api/v1/users/lookup, the "add member" typeahead. Any signed-in user may
 * call it (team owners are rarely admins), so it answers only names, only enabled users, at most ten.
 * Registered ahead of UsersController so `lookup` is not read as a user id.
 */
@ApiTags('users')
@ApiHeader({ name: 'Portus-Auth', description: '<username>:<application token>', required: false })
@Controller('v1/users')
export class UserLookupController {
  constructor(private readonly read: ReadSide) {}

  @Get('lookup')
  @ApiOperation({ summary: 'Up to 10 enabled users whose username starts with q (any signed-in user; no e-mails)' })
  @ApiAnswer(200, z.array(UserLookupEntity), 'At most 10 users, by username')
  @ApiQueryFrom(LookupQuery)
  async lookup(@Actor() actor: ActorRef | null, @Query() query: unknown): Promise<UserLookupEntity[]> {
    requireUser(actor);
    const { q } = parse(LookupQuery, query);
    const prefix = q.toLowerCase();
    // $contains narrows in the store (case-insensitively, as usernames are compared); the prefix test is exact.
    const candidates = await this.read.store
      .collection<D>('users')
      .find({ username: { $contains: q }, enabled: true }, { sort: [['username', 1]] });
    return candidates
      .filter((u) => (u['username'] as string).toLowerCase().startsWith(prefix))
      .slice(0, LOOKUP_LIMIT)
      .map((u) => ({
        id: u['id'] as number,
        username: u['username'] as string,
        display_name: (u['display_name'] as string | null) ?? null,
      }));
  }
}

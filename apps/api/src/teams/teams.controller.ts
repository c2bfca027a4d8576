import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import {
  AddTeamMemberRequest,
  ChangeTeamMemberRequest,
  CreateTeamRequest,
  NamespaceEntity,
  PageQuery,
  TeamEntity,
  TeamMemberEntity,
  UpdateTeamRequest,
} from '@portcullis/contracts';
import { forbidden, notFound, type ActorRef } from '@portcullis/domain';
import { ApiBodyFrom } from '../platform/api-body';
import { ApiAnswer, ApiList, ApiQueryFrom } from '../platform/openapi';
import { Actor, parseId, requireUser } from '../platform/actor';
import { pageRequest, parse, setPageHeaders, settle } from '../platform/http';
import { ReadSide } from '../platform/read-side';
import { toNamespaceEntity } from '../namespaces/entities';
import { toMemberEntity, toTeamEntity } from './entities';
import { CreateTeamCommand, TeamChangeCommand } from './teams.commands';
import { z } from 'zod';

/** TeamsController is Portus's /api/v1/teams with members and namespaces. */
@ApiTags('teams')
@ApiHeader({ name: 'Portus-Auth', description: '<username>:<application token>', required: false })
@Controller('v1/teams')
export class TeamsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly read: ReadSide,
  ) {}

  /** visibleTeam: hidden teams and teams you are not in are 404/403 as in Portus. */
  private async visibleTeam(actor: ActorRef, rawId: string) {
    const team = await this.read.team(parseId(rawId, 'team'));
    if (!team || team['hidden'] === true) throw notFound('TEAM.NOT_FOUND', 'team not found');
    if (!actor.admin && !(await this.read.roleOf(team['id'] as number, actor.id)))
      throw forbidden('AUTH.FORBIDDEN', 'Authorization fails');
    return team;
  }

  private async showTeam(id: number, res: Response, position: bigint | null, status = 200) {
    await settle(this.read, res, position);
    const team = await this.read.team(id);
    if (!team) throw notFound('TEAM.NOT_FOUND', 'team not found');
    res.status(status);
    return toTeamEntity(team);
  }

  private async members(teamId: number, me: ActorRef) {
    const rows = await this.read.members(teamId);
    const users = await Promise.all(rows.map((m) => this.read.user(m['user_id'] as number)));
    return rows.map((m, i) => toMemberEntity(m, users[i], me.id));
  }

  @Get()
  @ApiOperation({ summary: 'Teams you belong to (admins: all non-hidden teams)' })
  @ApiList(TeamEntity, 'One page of teams')
  @ApiQueryFrom(PageQuery)
  async list(
    @Actor() actor: ActorRef | null,
    @Query() query: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const me = requireUser(actor);
    const page = await this.read.listTeams(me, await this.read.teamIdsOf(me.id), pageRequest(query));
    setPageHeaders(req, res, page);
    return page.items.map(toTeamEntity);
  }

  @Post()
  @ApiOperation({ summary: 'Create a team; the creator (or owner_id, admin only) becomes owner' })
  @ApiAnswer(201, TeamEntity, 'The team created')
  @ApiBodyFrom(CreateTeamRequest)
  async create(@Actor() actor: ActorRef | null, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const me = requireUser(actor);
    const input = parse(CreateTeamRequest, body);
    const done = await this.commands.execute(
      new CreateTeamCommand(me, input.name, input.description ?? '', input.owner_id),
    );
    return this.showTeam(done.id, res, done.position, 201);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Show a team (member or admin)' })
  @ApiAnswer(200, TeamEntity, 'The team')
  async get(@Actor() actor: ActorRef | null, @Param('id') rawId: string) {
    return toTeamEntity(await this.visibleTeam(requireUser(actor), rawId));
  }

  @Put(':id')
  @ApiOperation({ summary: 'Rename or describe a team (owner or admin)' })
  @ApiAnswer(200, TeamEntity, 'The team as changed')
  @ApiBodyFrom(UpdateTeamRequest)
  async update(
    @Actor() actor: ActorRef | null,
    @Param('id') rawId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const me = requireUser(actor);
    const team = await this.visibleTeam(me, rawId);
    const { team: input } = parse(UpdateTeamRequest, body);
    const id = team['id'] as number;
    let position: bigint | null = null;
    if (input.name !== undefined)
      position =
        (await this.commands.execute(new TeamChangeCommand(me, id, { type: 'Rename', name: input.name }))).position ??
        position;
    if (input.description !== undefined)
      position =
        (
          await this.commands.execute(
            new TeamChangeCommand(me, id, { type: 'Describe', description: input.description }),
          )
        ).position ?? position;
    return this.showTeam(id, res, position);
  }

  @Get(':id/namespaces')
  @ApiOperation({ summary: "The team's namespaces (member or admin)" })
  @ApiAnswer(200, z.array(NamespaceEntity), 'The namespaces')
  async namespaces(@Actor() actor: ActorRef | null, @Param('id') rawId: string) {
    const team = await this.visibleTeam(requireUser(actor), rawId);
    const rows = await this.read.namespacesOfTeam(team['id'] as number);
    return rows.map((ns) => toNamespaceEntity(ns, team));
  }

  @Get(':id/members')
  @ApiOperation({ summary: "The team's members (member or admin)" })
  @ApiAnswer(200, z.array(TeamMemberEntity), 'The members')
  async listMembers(@Actor() actor: ActorRef | null, @Param('id') rawId: string) {
    const me = requireUser(actor);
    const team = await this.visibleTeam(me, rawId);
    return this.members(team['id'] as number, me);
  }

  @Post(':id/members')
  @ApiOperation({ summary: 'Add a member by username (owner or admin); admins always join as owner' })
  @ApiAnswer(201, TeamMemberEntity, 'The member added')
  @ApiBodyFrom(AddTeamMemberRequest)
  async addMember(
    @Actor() actor: ActorRef | null,
    @Param('id') rawId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const me = requireUser(actor);
    const team = await this.visibleTeam(me, rawId);
    const input = parse(AddTeamMemberRequest, body);
    const teamId = team['id'] as number;
    const done = await this.commands.execute(
      new TeamChangeCommand(me, teamId, { type: 'AddMember', username: input.user, role: input.role }),
    );
    return this.showMember(teamId, done.id, me, res, done.position, 201);
  }

  private async showMember(
    teamId: number,
    userId: number,
    me: ActorRef,
    res: Response,
    position: bigint | null,
    status = 200,
  ) {
    await settle(this.read, res, position);
    const member = (await this.members(teamId, me)).find((m) => m.user_id === userId);
    if (!member) throw notFound('TEAM.MEMBER_NOT_FOUND', 'member not found');
    res.status(status);
    return member;
  }

  @Put(':id/members/:member_id')
  @ApiOperation({ summary: "Change a member's role (owner or admin); the only owner cannot be demoted" })
  @ApiAnswer(200, TeamMemberEntity, 'The member as changed')
  @ApiBodyFrom(ChangeTeamMemberRequest)
  async changeMember(
    @Actor() actor: ActorRef | null,
    @Param('id') rawId: string,
    @Param('member_id') rawMember: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const me = requireUser(actor);
    const team = await this.visibleTeam(me, rawId);
    const { role } = parse(ChangeTeamMemberRequest, body);
    const teamId = team['id'] as number;
    const userId = parseId(rawMember, 'member');
    const done = await this.commands.execute(new TeamChangeCommand(me, teamId, { type: 'ChangeRole', userId, role }));
    return this.showMember(teamId, userId, me, res, done.position);
  }

  @Delete(':id/members/:member_id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member (owner or admin, or the member leaving); never the only owner' })
  @ApiAnswer(204, null, 'Removed')
  async removeMember(
    @Actor() actor: ActorRef | null,
    @Param('id') rawId: string,
    @Param('member_id') rawMember: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    const me = requireUser(actor);
    const team = await this.visibleTeam(me, rawId);
    const done = await this.commands.execute(
      new TeamChangeCommand(me, team['id'] as number, { type: 'RemoveMember', userId: parseId(rawMember, 'member') }),
    );
    await settle(this.read, res, done.position);
  }
}

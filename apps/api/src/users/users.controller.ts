import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import {
  ApplicationTokenEntity,
  BootstrapUserRequest,
  CreateApplicationTokenRequest,
  CreateUserRequest,
  NewApplicationTokenEntity,
  PageQuery,
  SetAdminRequest,
  SetEnabledRequest,
  UpdateUserRequest,
  UserEntity,
} from '@portcullis/contracts';
import { forbidden, notFound, type ActorRef } from '@portcullis/domain';
import { ApiBodyFrom } from '../platform/api-body';
import { ApiAnswer, ApiList, ApiQueryFrom } from '../platform/openapi';
import { Actor, parseId, requireAdmin, requireUser } from '../platform/actor';
import { pageRequest, parse, setPageHeaders, settle } from '../platform/http';
import { ReadSide } from '../platform/read-side';
import { toTokenEntity, toUserEntity } from './entities';
import {
  BootstrapCommand,
  CreateTokenCommand,
  RegisterUserCommand,
  RevokeTokenCommand,
  UserChangeCommand,
} from './users.commands';
import { z } from 'zod';

/** UsersController is Portus's /api/v1/users, plus enable/disable and admin toggles (UI-only in Portus). */
@ApiTags('users')
@ApiHeader({ name: 'Portus-Auth', description: '<username>:<application token>', required: false })
@Controller('v1/users')
export class UsersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly read: ReadSide,
  ) {}

  private async show(id: number, res: Response, position: bigint | null, status = 200): Promise<UserEntity> {
    await settle(this.read, res, position);
    const user = await this.read.user(id);
    if (!user) throw notFound('USER.NOT_FOUND', 'user not found');
    res.status(status);
    return toUserEntity(user);
  }

  @Post('bootstrap')
  @ApiOperation({ summary: 'Create the first admin (no auth); returns its application token once' })
  @ApiAnswer(201, NewApplicationTokenEntity, 'The admin was created; its bootstrap token, shown once')
  @ApiBodyFrom(BootstrapUserRequest)
  async bootstrap(@Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const { user } = parse(BootstrapUserRequest, body);
    const done = await this.commands.execute(
      new BootstrapCommand({
        username: user.username,
        email: user.email,
        password: user.password,
        displayName: user.display_name ?? null,
      }),
    );
    await settle(this.read, res, done.position);
    res.status(201);
    return { id: done.tokenId, application: 'bootstrap', plain_token: done.plainToken };
  }

  @Get()
  @ApiOperation({ summary: 'List users (admin)' })
  @ApiList(UserEntity, 'One page of users')
  @ApiQueryFrom(PageQuery)
  async list(
    @Actor() actor: ActorRef | null,
    @Query() query: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    requireAdmin(actor);
    const page = await this.read.listUsers(pageRequest(query));
    setPageHeaders(req, res, page);
    return page.items.map(toUserEntity);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Show a user by id or email (admin, or the user)' })
  @ApiAnswer(200, UserEntity, 'The user')
  async get(@Actor() actor: ActorRef | null, @Param('id') id: string) {
    const me = requireUser(actor);
    const user = /^\d+$/.test(id) ? await this.read.user(Number(id)) : await this.read.userByEmail(id);
    if (!me.admin && user?.['id'] !== me.id) throw forbidden('AUTH.FORBIDDEN', 'Authorization fails');
    if (!user) throw notFound('USER.NOT_FOUND', 'user not found');
    return toUserEntity(user);
  }

  @Post()
  @ApiOperation({ summary: 'Create a user or bot (admin)' })
  @ApiAnswer(201, UserEntity, 'The user created')
  @ApiBodyFrom(CreateUserRequest)
  async create(@Actor() actor: ActorRef | null, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const admin = requireAdmin(actor);
    const { user } = parse(CreateUserRequest, body);
    const done = await this.commands.execute(
      new RegisterUserCommand(admin, {
        username: user.username,
        email: user.email,
        password: user.password,
        displayName: user.display_name ?? null,
        admin: user.admin ?? false,
        bot: user.bot ?? false,
      }),
    );
    return this.show(done.id, res, done.position, 201);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Update a user (admin, or the user for email/display name/password)' })
  @ApiAnswer(200, UserEntity, 'The user as changed')
  @ApiBodyFrom(UpdateUserRequest)
  async update(
    @Actor() actor: ActorRef | null,
    @Param('id') rawId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const me = requireUser(actor);
    const id = parseId(rawId, 'user');
    const { user } = parse(UpdateUserRequest, body);
    const done = await this.commands.execute(
      new UserChangeCommand(me, id, {
        type: 'Update',
        username: user.username,
        email: user.email,
        displayName: user.display_name,
        password: user.password,
      }),
    );
    return this.show(id, res, done.position);
  }

  @Put(':id/enabled')
  @ApiOperation({ summary: 'Enable or disable a user (admins; users may disable themselves)' })
  @ApiAnswer(200, UserEntity, 'The user as changed')
  @ApiBodyFrom(SetEnabledRequest)
  async setEnabled(
    @Actor() actor: ActorRef | null,
    @Param('id') rawId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const me = requireUser(actor);
    const id = parseId(rawId, 'user');
    const { enabled } = parse(SetEnabledRequest, body);
    const done = await this.commands.execute(new UserChangeCommand(me, id, { type: enabled ? 'Enable' : 'Disable' }));
    return this.show(id, res, done.position);
  }

  @Put(':id/admin')
  @ApiOperation({ summary: 'Grant or revoke admin (admin; not yourself)' })
  @ApiAnswer(200, UserEntity, 'The user as changed')
  @ApiBodyFrom(SetAdminRequest)
  async setAdmin(
    @Actor() actor: ActorRef | null,
    @Param('id') rawId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const me = requireAdmin(actor);
    const id = parseId(rawId, 'user');
    const { admin } = parse(SetAdminRequest, body);
    const done = await this.commands.execute(new UserChangeCommand(me, id, { type: 'SetAdmin', admin }));
    return this.show(id, res, done.position);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a user (admin)' })
  @ApiAnswer(204, null, 'Deleted')
  async remove(@Actor() actor: ActorRef | null, @Param('id') rawId: string, @Res({ passthrough: true }) res: Response) {
    const me = requireAdmin(actor);
    const done = await this.commands.execute(new UserChangeCommand(me, parseId(rawId, 'user'), { type: 'Delete' }));
    await settle(this.read, res, done.position);
  }

  @Get(':id/application_tokens')
  @ApiOperation({ summary: "List a user's application tokens (the owner, or an admin for bots)" })
  @ApiAnswer(200, z.array(ApplicationTokenEntity), 'The tokens (metadata only)')
  async tokens(@Actor() actor: ActorRef | null, @Param('id') rawId: string) {
    const me = requireUser(actor);
    const id = parseId(rawId, 'user');
    const user = await this.read.user(id);
    // NOTE: Portus let any user list anyone's tokens; only the owner (or an admin, for bots) may here.
    if (!user)
      throw me.admin
        ? notFound('USER.NOT_FOUND', 'user not found')
        : forbidden('AUTH.FORBIDDEN', 'Authorization fails');
    if (me.id !== id && !(me.admin && user['bot'] === true)) throw forbidden('AUTH.FORBIDDEN', 'Authorization fails');
    return (await this.read.tokensOf(id)).map(toTokenEntity);
  }

  @Post(':id/application_tokens')
  @ApiOperation({ summary: 'Create an application token; the plain token is shown once' })
  @ApiAnswer(201, NewApplicationTokenEntity, 'The token, shown this once')
  @ApiBodyFrom(CreateApplicationTokenRequest)
  async createToken(
    @Actor() actor: ActorRef | null,
    @Param('id') rawId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const me = requireUser(actor);
    const id = parseId(rawId, 'user');
    const input = parse(CreateApplicationTokenRequest, body);
    const done = await this.commands.execute(
      new CreateTokenCommand(
        me,
        id,
        input.application,
        input.expires_at ? new Date(input.expires_at).toISOString() : null,
      ),
    );
    await settle(this.read, res, done.position);
    res.status(201);
    const token = await this.read.token(done.id);
    return {
      ...(token ? toTokenEntity(token) : { id: done.id, application: input.application }),
      plain_token: done.plainToken,
    };
  }

  @Delete('application_tokens/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an application token (the owner, or an admin for bots)' })
  @ApiAnswer(204, null, 'Deleted')
  async revokeToken(
    @Actor() actor: ActorRef | null,
    @Param('id') rawId: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    const me = requireUser(actor);
    const done = await this.commands.execute(new RevokeTokenCommand(me, parseId(rawId, 'application token')));
    await settle(this.read, res, done.position);
  }
}

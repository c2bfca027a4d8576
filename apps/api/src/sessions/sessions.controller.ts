import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { NewSessionEntity, SessionEntity, SessionRequest } from '@portcullis/contracts';
import { forbidden, notFound } from '@portcullis/domain';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { Authenticator } from '../identity/auth';
import { ReadSide } from '../platform/read-side';
import { ApiBodyFrom } from '../platform/api-body';
import { Unauthenticated } from '../platform/actor';
import { parse } from '../platform/http';
import { ApiAnswer, ApiProblems } from '../platform/openapi';
import { toUserEntity } from '../users/entities';
import { clearedSessionCookie, originAllowed, sessionCookie } from '../identity/session-cookie';
import { Sessions, type ActiveSession } from '../identity/sessions';

type SessionRequestish = Request & { session?: ActiveSession | null };

/**
 * SessionsController is the UI login: `POST` (local password or LDAP through Authenticator), `GET
 * current`, `DELETE` (logout). API clients keep using `Portus-Auth`; the cookie is for browsers.
 */
@ApiTags('sessions')
@Controller('v1/sessions')
export class SessionsController {
  constructor(
    private readonly auth: Authenticator,
    private readonly sessions: Sessions,
    private readonly read: ReadSide,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @UseGuards(ThrottlerGuard)
  @ApiOperation({ summary: 'Log in (UI): sets an HttpOnly session cookie; returns the user and the CSRF token' })
  @ApiAnswer(201, NewSessionEntity, 'Signed in (Set-Cookie: portcullis_session)')
  @ApiProblems(429)
  @ApiBodyFrom(SessionRequest)
  async login(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    // Login CSRF (a foreign page signing the victim into the attacker's account) is refused by Origin.
    if (!originAllowed(req.header('origin'), req.host)) throw forbidden('AUTH.CSRF', 'cross-origin request refused');
    const { username, password } = parse(SessionRequest, body);
    const ip = req.ip ?? null;
    const actor = await this.auth.fromPassword(username, password, { source: 'session', ip });
    const started = await this.sessions.start(actor, ip);
    await this.read.waitFor(started.position);
    const user = await this.read.user(actor.id);
    if (!user) throw notFound('USER.NOT_FOUND', 'user not found');
    res.setHeader(
      'Set-Cookie',
      sessionCookie(started.secret, this.config.sessions.absoluteTimeoutMinutes * 60, req.secure),
    );
    res.setHeader('Cache-Control', 'no-store');
    res.status(201);
    return { user: toUserEntity(user), csrf_token: started.csrfToken, expires_at: started.expiresAt };
  }

  @Get('current')
  @ApiOperation({ summary: "The session's user, CSRF token and expiry times (401 without a session cookie)" })
  @ApiAnswer(200, SessionEntity, 'The session')
  async current(@Req() req: SessionRequestish, @Res({ passthrough: true }) res: Response) {
    const session = req.session;
    if (!session) throw new Unauthenticated();
    const user = await this.read.user(session.actor.id);
    if (!user) throw new Unauthenticated();
    res.setHeader('Cache-Control', 'no-store');
    return {
      user: toUserEntity(user),
      csrf_token: session.csrfToken,
      expires_at: session.expiresAt,
      idle_expires_at: session.idleExpiresAt,
    };
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Log out: ends the session and clears the cookie (needs X-CSRF-Token)' })
  @ApiAnswer(204, null, 'Signed out')
  async logout(@Req() req: SessionRequestish, @Res({ passthrough: true }) res: Response) {
    const session = req.session;
    if (session) await this.read.waitFor(await this.sessions.end(session.sessionId, session.actor, 'logout'));
    res.setHeader('Set-Cookie', clearedSessionCookie(req.secure));
  }
}

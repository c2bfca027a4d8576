import { Body, Controller, Get, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RegistryErrorFilter, TokenRequestError } from './registry-error';
import { RegistryTokens, type TokenRequest } from './registry-tokens';
import type { IssuedToken } from './token-issuer.port';
import { TokenRateLimitGuard } from './token-rate-limit';

export type Params = Record<string, unknown>;

/** single reads a parameter that must appear at most once: a repeated `account` or `service` is ambiguous. */
function single(params: Params, name: string): string | null {
  const value = params[name];
  if (value === undefined) return null;
  if (typeof value !== 'string') throw new TokenRequestError(400, 'UNSUPPORTED', `${name} must be given once`);
  return value;
}

/** many reads a parameter that may repeat (`scope`). */
function many(params: Params, name: string): string[] {
  const value = params[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  if (!list.every((v) => typeof v === 'string')) throw new TokenRequestError(400, 'UNSUPPORTED', `bad ${name}`);
  return list as string[];
}

/** basic decodes `Authorization: Basic …`; no header is anonymous, any other scheme is refused. */
function basic(header: string | undefined): TokenRequest['credentials'] {
  if (header === undefined) return null;
  const [scheme, value, extra] = header.split(' ');
  if (scheme.toLowerCase() !== 'basic' || !value || extra !== undefined)
    throw new TokenRequestError(401, 'UNAUTHORIZED', 'use HTTP Basic authentication');
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const sep = decoded.indexOf(':');
  if (sep <= 0) throw new TokenRequestError(401, 'UNAUTHORIZED', 'malformed Basic credentials');
  return { username: decoded.slice(0, sep), secret: decoded.slice(sep + 1) };
}

/** MIN_POSITION_HEADER is the last `Portcullis-Position` the client saw; the decision waits (bounded) for it. */
export const MIN_POSITION_HEADER = 'Portcullis-Min-Position';

/** TokenHttpRequest is what the decoders read of a request: headers, and the client address (through trust proxy). */
export interface TokenHttpRequest {
  header(name: string): string | undefined;
  readonly ip?: string;
}

/** minPosition reads MIN_POSITION_HEADER; anything but a decimal position is ignored (registries never send it). */
function minPosition(req: TokenHttpRequest): bigint | null {
  const value = req.header(MIN_POSITION_HEADER);
  return value !== undefined && /^\d{1,19}$/.test(value) ? BigInt(value) : null;
}

/** answer is the body docker, containerd and skopeo accept (registry-interop §4): exactly these four fields. */
export const answer = (res: Response, t: IssuedToken) =>
  res
    .status(200)
    .setHeader('Cache-Control', 'no-store')
    .json({ token: t.token, access_token: t.token, expires_in: t.expiresIn, issued_at: t.issuedAt });

/** fromQuery decodes `GET /v2/token`: HTTP Basic or anonymous, `account`, `service`, repeated `scope`. */
export function fromQuery(query: Params, req: TokenHttpRequest): TokenRequest {
  return {
    credentials: basic(req.header('authorization')),
    account: single(query, 'account'),
    service: single(query, 'service'),
    scopes: many(query, 'scope'),
    // Worked out (through http.trust_proxy) only for a failed login's audit.
    clientIp: () => req.ip ?? null,
    minPosition: minPosition(req),
  };
}

/**
 * fromForm decodes `POST /v2/token`, the OAuth2 form. `refresh_token` carries an application token (what
 * `identitytoken` in a docker config holds); Portcullis never hands out refresh tokens itself, since that
 * would be a write.
 */
export function fromForm(body: Params | undefined, req: Request): TokenRequest {
  const form = body ?? {};
  const grant = single(form, 'grant_type');
  let credentials: TokenRequest['credentials'];
  if (grant === 'password') {
    const username = single(form, 'username') ?? '';
    credentials = { username, secret: single(form, 'password') ?? '' };
  } else if (grant === 'refresh_token') credentials = { username: null, secret: single(form, 'refresh_token') ?? '' };
  else throw new TokenRequestError(400, 'UNSUPPORTED', 'grant_type must be password or refresh_token');
  return {
    credentials,
    account: grant === 'password' ? credentials.username : null,
    service: single(form, 'service'),
    scopes: many(form, 'scope'),
    clientIp: req.ip ?? null,
    minPosition: minPosition(req),
  };
}

/**
 * TokenController is the registry's token realm (distribution docs/spec/auth/token.md and oauth.md):
 * `GET /v2/token` with HTTP Basic or anonymously, and `POST /v2/token` with the OAuth2 password or
 * refresh_token grant. It lives outside the `/api` prefix and answers errors in the registry's format.
 * tokenRoute answers most requests before they get here, with the same pieces and the same rate limit.
 */
@ApiExcludeController()
@UseFilters(RegistryErrorFilter)
@UseGuards(TokenRateLimitGuard)
@Controller('v2')
export class TokenController {
  constructor(private readonly tokens: RegistryTokens) {}

  @Get('token')
  async get(@Query() query: Params, @Req() req: Request, @Res() res: Response) {
    answer(res, await this.tokens.issue(fromQuery(query, req)));
  }

  /**
   * post is the OAuth2 form. `refresh_token` carries an application token (what `identitytoken` in a
   * docker config holds); Portcullis never hands out refresh tokens itself, since that would be a write.
   */
  @Post('token')
  async post(@Body() body: Params | undefined, @Req() req: Request, @Res() res: Response) {
    answer(res, await this.tokens.issue(fromForm(body, req)));
  }
}

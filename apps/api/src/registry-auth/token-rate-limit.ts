import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { normalizeIp } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { Clock } from '../platform/clock';
import { SlidingWindowLimiter } from './rate-limiter';
import { TokenRequestError } from './registry-error';

/** TOKEN_WINDOW_MS: `rate_limit.token.per_minute` is per minute. */
const TOKEN_WINDOW_MS = 60_000;

/** CLIENT_KEY_MAX: no address is longer; anything longer (a believed X-Forwarded-For, any text) shares one key. */
const CLIENT_KEY_MAX = 64;

/**
 * clientKey is who a request counts against: its client address (`req.ip`, so `http.trust_proxy` decides
 * whether X-Forwarded-For is believed), normalised as @nestjs/throttler does for the session login's limit
 * (its public `normalizeIp`: an IPv6 client by its /64, an IPv4-mapped address as IPv4). No address, or
 * something no address looks like, has one shared key each: text from a header never sizes the memory.
 */
export function clientKey(ip: string | undefined): string {
  if (ip === undefined || ip === '') return '\u0000none';
  const key = normalizeIp(ip);
  return key.length > CLIENT_KEY_MAX ? '\u0000long' : key;
}

/** TokenClient is what the limit reads of a request: its client address (worked out only when asked). */
export interface TokenClient {
  readonly ip?: string;
}

/** HeaderSink is where the limit's headers go: node's ServerResponse and Express's Response alike. */
export interface HeaderSink {
  setHeader(name: string, value: number): unknown;
}

/** TOO_MANY_REQUESTS is the 429 in the registry's format (docker prints "toomanyrequests: …" and retries later). */
const tooManyRequests = () => new TokenRequestError(429, 'TOOMANYREQUESTS', 'too many requests; retry later');

/**
 * TokenRateLimit is `rate_limit.token.per_minute` (0 = off) for all of /v2/token: one budget per client and
 * api replica, in memory, whichever door the request came through (the server's listener, the Express
 * middleware or TokenController), so one limiter instance holds every counter. Answers carry the headers
 * @nestjs/throttler gave them before (ADR 0017): `X-RateLimit-Limit-token`, `-Remaining-token`,
 * `-Reset-token` when let through, `Retry-After-token` (seconds) on the 429.
 */
@Injectable()
export class TokenRateLimit {
  private readonly limiter: SlidingWindowLimiter | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig, clock: Clock) {
    const limit = config.rateLimit.tokenPerMinute;
    this.limiter =
      limit > 0
        ? new SlidingWindowLimiter({ limit, windowMs: TOKEN_WINDOW_MS, now: () => clock.now().getTime() })
        : null;
  }

  /** active: a limit applies (else check does nothing and reads nothing of the request). */
  get active(): boolean {
    return this.limiter !== null;
  }

  /** check counts one token request of its client, or throws the 429 (its Retry-After-token already set). */
  check(req: TokenClient, res: HeaderSink): void {
    const limiter = this.limiter;
    if (limiter === null) return;
    const decision = limiter.hit(clientKey(req.ip));
    if (!decision.allowed) {
      res.setHeader('Retry-After-token', decision.retryAfterSeconds);
      throw tooManyRequests();
    }
    res.setHeader('X-RateLimit-Limit-token', limiter.limit);
    res.setHeader('X-RateLimit-Remaining-token', decision.remaining);
    res.setHeader('X-RateLimit-Reset-token', decision.resetSeconds);
  }
}

/** TokenRateLimitGuard puts TokenRateLimit in front of TokenController (what the fast path passes on). */
@Injectable()
export class TokenRateLimitGuard implements CanActivate {
  constructor(private readonly limit: TokenRateLimit) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    this.limit.check(http.getRequest<Request>(), http.getResponse<Response>());
    return true;
  }
}

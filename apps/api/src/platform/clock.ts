import { Injectable } from '@nestjs/common';

/**
 * Clock is the api's time for identity rules (lockout windows, session expiry, usage marks), injected
 * so the e2e tests can move time forward instead of sleeping (`advance`). Production never advances it.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  iso(): string {
    return this.now().toISOString();
  }

  /** advance moves this process's time forward (tests only: expiry and unlock without waiting). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

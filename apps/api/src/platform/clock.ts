import { Injectable } from '@nestjs/common';

/**
 * Clock is the api's time: command metadata (`EventSourcing.metadataFor`), identity rules (lockout windows,
 * session expiry, usage marks), token lifetimes, webhook retry due times. One instance per app, injected, so
 * the e2e tests can move time forward instead of sleeping (`advance`). Production never advances it.
 * Elapsed-time measurements (latency histograms, bounded waits) use `performance.now()`, not this.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;

  /** ms is the time in epoch milliseconds, without allocating a Date (the token path reads it per request). */
  ms(): number {
    return Date.now() + this.offsetMs;
  }

  now(): Date {
    return new Date(this.ms());
  }

  iso(): string {
    return this.now().toISOString();
  }

  /** advance moves this process's time forward (tests only: expiry and unlock without waiting). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

/** Figures is what one load run measured: throughput and latency quantiles of successful answers. */
export interface Figures {
  tokens_per_s: number;
  p50_ms: number;
  p99_ms: number;
  tokens: number;
}

export interface LoadSpec {
  port: number;
  path: string;
  headers: Record<string, string>;
  seconds: number;
  concurrency: number;
  /** warmup requests run one at a time before the clock starts (JIT, caches, first logins). */
  warmup: number;
  /** expectGrants is how many `access` entries every token must carry, so a refusal never counts as speed. */
  expectGrants: number;
}

/**
 * driveInChild runs bench/lib/http-load-client.mjs in its own process, so the client's CPU never counts
 * against the server measured in this one, and resolves with its figures.
 */
export function driveInChild(spec: LoadSpec): Promise<Figures> {
  const client = resolve(__dirname, 'http-load-client.mjs');
  return new Promise((done, fail) =>
    execFile(
      process.execPath,
      [client, JSON.stringify(spec)],
      { timeout: (spec.seconds + 120) * 1000 },
      (err, out, errOut) =>
        err ? fail(new Error(`load client: ${err.message} ${errOut}`)) : done(JSON.parse(out) as Figures),
    ),
  );
}

/** mean combines rounds: tokens/s averaged, latencies as the worst round's (the honest side). */
export function mean(rounds: Figures[]): Figures {
  return {
    tokens_per_s: Math.round(rounds.reduce((a, r) => a + r.tokens_per_s, 0) / rounds.length),
    p50_ms: Math.max(...rounds.map((r) => r.p50_ms)),
    p99_ms: Math.max(...rounds.map((r) => r.p99_ms)),
    tokens: rounds.reduce((a, r) => a + r.tokens, 0),
  };
}

/** arg reads `--<name> <number>` from the command line. */
export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

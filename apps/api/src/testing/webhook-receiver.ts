import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';

/** Received is one request a test receiver got. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
  /** at is performance.now() when the body was complete: the bench measures latency up to here. */
  at: number;
}

/**
 * Receiver is a real HTTP server on 127.0.0.1 that records what webhooks send. `status` is what it answers;
 * `hold` keeps requests open until released (to kill a dispatcher mid-delivery).
 */
export class Receiver {
  readonly got: Received[] = [];
  status = 200;
  hold = false;
  private held: Array<() => void> = [];
  private server: Server | null = null;
  port = 0;

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const at = performance.now();
        const answer = () => {
          const status = this.status;
          this.got.push({
            method: req.method ?? '',
            url: req.url ?? '',
            headers: req.headers,
            body: Buffer.concat(chunks).toString(),
            answered: status,
            at,
          });
          res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'down');
        };
        if (this.hold) this.held.push(answer);
        else answer();
      });
    });
    await new Promise<void>((r) => this.server?.listen(port, '127.0.0.1', r));
    this.port = (this.server.address() as { port: number }).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** release answers every held request (its sender may be gone: the receiver still got it). */
  release(): void {
    for (const answer of this.held.splice(0)) answer();
  }

  get pending(): number {
    return this.held.length;
  }

  /** delivered are the requests answered 2xx. */
  delivered(): Received[] {
    return this.got.filter((r) => r.answered < 300);
  }

  async stop(): Promise<void> {
    this.held = [];
    await new Promise<void>((r) => {
      this.server?.closeAllConnections();
      this.server?.close(() => r());
    });
  }
}

/** eventually polls a probe until it holds. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  ms = 15_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const fixtures = join(__dirname, '../../../../libs/contracts/src/registry/fixtures');

/** notification is a recorded distribution 2.8 notification for `repository` with a fresh event id. */
export function notification(kind: 'push-manifest' | 'delete' | 'pull-manifest', repository: string, tag = 'v1') {
  const raw = JSON.parse(readFileSync(join(fixtures, `notification-${kind}.json`), 'utf8'));
  const body = structuredClone((Array.isArray(raw) ? raw[0] : raw).body) as {
    events: Array<{ id: string; target: Record<string, unknown> }>;
  };
  const [event] = body.events;
  event.id = randomUUID();
  event.target['repository'] = repository;
  if (kind !== 'delete') event.target['tag'] = tag;
  return { events: [event] };
}

/** fastWebhookEnv: small retry delays so outage tests take seconds, and the receivers on 127.0.0.1 allowed. */
export const fastWebhookEnv = {
  PORTCULLIS_WEBHOOKS_ALLOWED_HOSTS: '127.0.0.1',
  PORTCULLIS_WEBHOOKS_RETRY_BASE_DELAY_MS: '40',
  PORTCULLIS_WEBHOOKS_RETRY_MAX_DELAY_MS: '200',
  PORTCULLIS_WEBHOOKS_RETRY_POLL_MS: '50',
  PORTCULLIS_WEBHOOKS_TIMEOUT_MS: '3000',
  PORTCULLIS_WEBHOOKS_RETRY_MAX_ATTEMPTS: '100',
};

// The outside world of the webhooks bench in its own process, so its CPU never counts against the api:
// the registry side (POST /v2/webhooks/events as distribution sends it) and the receiver (the test
// Receiver from apps/api/src/testing/webhook-receiver.ts) live here together, so a latency is two readings
// of one clock. `node -r @swc-node/register webhook-load-client.ts <json>` sends `warmup` notifications one
// at a time, then `rate` per second for `seconds` on a fixed schedule (open loop: a slow api does not slow
// the sender down), waits for every delivery and prints one JSON line of figures.
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { Receiver } from '../../apps/api/src/testing/webhook-receiver';

interface Spec {
  apiPort: number;
  receiverPort: number;
  authorization: string;
  envelope: { events: Array<{ id: string; target: Record<string, unknown> }> };
  /** repositories: events go round-robin to `<repository>-<n>` for n < repositories. */
  repositories: number;
  rate: number;
  seconds: number;
  warmup: number;
  drainSeconds: number;
}

const spec = JSON.parse(process.argv[2]) as Spec;
// The registry keeps its connections to the api alive too (Go's http.Client).
const agent = new Agent({ keepAlive: true });
const receiver = new Receiver();
const sentAt = new Map<string, number>();
const answerMs: number[] = [];
const answeredAt = new Map<string, number>();

const repository = String(spec.envelope.events[0].target['repository']);

/** notify posts one push event for tag `tag` (unique: the receiver matches on it) into repository `n`. */
function notify(tag: string, n: number): Promise<void> {
  const envelope = structuredClone(spec.envelope);
  envelope.events[0].id = randomUUID();
  envelope.events[0].target['tag'] = tag;
  envelope.events[0].target['repository'] = `${repository}-${n % spec.repositories}`;
  const body = JSON.stringify(envelope);
  return new Promise((done, fail) => {
    const t = performance.now();
    sentAt.set(tag, t);
    const req = request(
      {
        host: '127.0.0.1',
        port: spec.apiPort,
        path: '/v2/webhooks/events',
        method: 'POST',
        agent,
        headers: {
          authorization: spec.authorization,
          'content-type': 'application/vnd.docker.distribution.events.v1+json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const now = performance.now();
          answerMs.push(now - t);
          answeredAt.set(tag, now);
          if ((res.statusCode ?? 500) >= 300) fail(new Error(`notification answered ${res.statusCode}`));
          else done();
        });
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

// first maps each tag to when the receiver first got it; `duplicates` counts the rest. Read incrementally:
// re-parsing every body on each poll would steal CPU from the api on a small machine.
const first = new Map<string, number>();
let duplicates = 0;
let seen = 0;
function receipts() {
  for (; seen < receiver.got.length; seen++) {
    const r = receiver.got[seen];
    const tag = String((JSON.parse(r.body) as { target: { tag: string } }).target.tag);
    if (first.has(tag)) duplicates++;
    else first.set(tag, r.at);
  }
  return first;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const at = (sorted: number[], q: number) =>
  sorted.length ? +sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1) : null;

async function main() {
  await receiver.start(spec.receiverPort);
  try {
    for (let i = 0; i < spec.warmup; i++) {
      const tag = `warm-${i}`;
      await notify(tag, i);
      const until = performance.now() + 10_000;
      while (!receipts().has(tag) && performance.now() < until) await sleep(5);
    }
    const warmReceipts = receiver.got.length;
    const total = Math.round(spec.rate * spec.seconds);
    const interval = 1000 / spec.rate;
    const posts: Array<Promise<void>> = [];
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      await sleep(start + i * interval - performance.now());
      posts.push(notify(`run-${i}`, i));
    }
    const sendMs = performance.now() - start;
    await Promise.all(posts);
    const tags = Array.from({ length: total }, (_, i) => `run-${i}`);
    const until = performance.now() + spec.drainSeconds * 1000;
    while (performance.now() < until && tags.some((t) => !receipts().has(t))) await sleep(20);
    // A doubled delivery could still be on its way when the last first one arrived.
    await sleep(500);
    receipts();
    const latencies = tags
      .filter((t) => first.has(t))
      .map((t) => (first.get(t) as number) - (sentAt.get(t) as number))
      .sort((a, b) => a - b);
    answerMs.sort((a, b) => a - b);
    // From the api's answer (the event is recorded) to receipt: the fan-out and delivery alone, without the
    // time a notification queued at an overloaded ingest endpoint.
    const afterAnswer = tags
      .filter((t) => first.has(t))
      .map((t) => (first.get(t) as number) - (answeredAt.get(t) as number))
      .sort((a, b) => a - b);
    process.stdout.write(
      JSON.stringify({
        events: total,
        sent_per_s: +((total * 1000) / sendMs).toFixed(1),
        delivered: latencies.length,
        lost: total - latencies.length,
        duplicates,
        p50_ms: at(latencies, 0.5),
        p90_ms: at(latencies, 0.9),
        p99_ms: at(latencies, 0.99),
        max_ms: latencies.length ? +latencies[latencies.length - 1].toFixed(1) : null,
        notification_answer_p50_ms: at(answerMs, 0.5),
        notification_answer_p99_ms: at(answerMs, 0.99),
        after_answer_p50_ms: at(afterAnswer, 0.5),
        after_answer_p99_ms: at(afterAnswer, 0.99),
        warmup_receipts: warmReceipts,
      }) + '\n',
    );
  } finally {
    agent.destroy();
    await receiver.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});

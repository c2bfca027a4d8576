import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
  Subscription,
  SubscriptionHandler,
} from '@portcullis/persistence';
import type { DeliveryOutcome } from '@portcullis/domain';

/** TOKEN_RESULTS are the token decisions /metrics counts (portcullis_token_decisions_total{result}). */
export const TOKEN_RESULTS = ['granted', 'partial', 'denied', 'anonymous', 'error'] as const;
/** TokenResult is one token decision: every requested action, some, none (or refused), anonymous, or a failure. */
export type TokenResult = (typeof TOKEN_RESULTS)[number];

/** DELIVERY_OUTCOMES are the webhook delivery attempt outcomes /metrics counts (the domain's DeliveryOutcome). */
export const DELIVERY_OUTCOMES = ['delivered', 'retrying', 'dead'] as const satisfies readonly DeliveryOutcome[];

/** AppendOutcome labels an event-store append: written, refused by the expected revision, or failed. */
export type AppendOutcome = 'ok' | 'conflict' | 'error';

const SECONDS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Metrics is one process's Prometheus registry and the calls that feed it. It owns a registry of its own (not
 * prom-client's global one), so several apps in one process (tests, benches) never collide. Every recording
 * call is O(1): label children are resolved once and kept.
 */
@Injectable()
export class Metrics {
  /** registry is what GET /metrics renders. */
  readonly registry = new Registry();
  private readonly http: Histogram<'method' | 'route' | 'status_class'>;
  private readonly httpChildren = new Map<string, Histogram.Internal<'method' | 'route' | 'status_class'>>();
  private readonly tokens: Record<TokenResult, Counter.Internal>;
  private readonly deliveries: Record<DeliveryOutcome, Counter.Internal>;
  private readonly appends: Record<AppendOutcome, Histogram.Internal<'outcome'>>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'portcullis_' });
    this.http = new Histogram({
      name: 'portcullis_http_request_duration_seconds',
      help: 'HTTP request latency by method, route template and status class (aborted: the client went away)',
      labelNames: ['method', 'route', 'status_class'],
      buckets: SECONDS_BUCKETS,
      registers: [this.registry],
    });
    const tokens = new Counter({
      name: 'portcullis_token_decisions_total',
      help: '/v2/token answers by decision: granted (every requested action), partial, denied, anonymous, error',
      labelNames: ['result'],
      registers: [this.registry],
    });
    this.tokens = Object.fromEntries(TOKEN_RESULTS.map((r) => [r, tokens.labels(r)])) as Metrics['tokens'];
    const deliveries = new Counter({
      name: 'portcullis_webhook_deliveries_total',
      help: 'webhook delivery attempts by outcome: delivered, retrying (a retry is scheduled), dead (given up)',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    this.deliveries = Object.fromEntries(
      DELIVERY_OUTCOMES.map((o) => [o, deliveries.labels(o)]),
    ) as Metrics['deliveries'];
    const appends = new Histogram({
      name: 'portcullis_event_store_append_duration_seconds',
      help: 'event-store append latency by outcome (ok, conflict: wrong expected revision, error)',
      labelNames: ['outcome'],
      buckets: SECONDS_BUCKETS,
      registers: [this.registry],
    });
    this.appends = { ok: appends.labels('ok'), conflict: appends.labels('conflict'), error: appends.labels('error') };
    // Zeros from the start: a counter that appears only after its first increment breaks rate() over restarts.
    for (const r of TOKEN_RESULTS) this.tokens[r].inc(0);
    for (const o of DELIVERY_OUTCOMES) this.deliveries[o].inc(0);
  }

  /** httpRequest records one answered (or aborted) request. */
  httpRequest(method: string, route: string, statusClass: string, seconds: number): void {
    const key = `${method} ${statusClass} ${route}`;
    let child = this.httpChildren.get(key);
    if (!child) {
      child = this.http.labels(method, route, statusClass);
      this.httpChildren.set(key, child);
    }
    child.observe(seconds);
  }

  /** token counts one token decision. */
  token(result: TokenResult): void {
    this.tokens[result].inc();
  }

  /** delivery counts one webhook delivery attempt. */
  delivery(outcome: DeliveryOutcome): void {
    this.deliveries[outcome].inc();
  }

  /** append records one event-store append. */
  append(outcome: AppendOutcome, seconds: number): void {
    this.appends[outcome].observe(seconds);
  }
}

/**
 * TimedEventStore decorates the EventStore port with the append latency histogram. It lives in the api's
 * observability/ (not in the adapters), so every adapter is measured the same way and the library stays
 * free of metrics.
 */
export class TimedEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly metrics: Metrics,
  ) {}

  async append(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    const start = performance.now();
    try {
      const result = await this.inner.append(streamId, events, options);
      this.metrics.append('ok', (performance.now() - start) / 1000);
      return result;
    } catch (error) {
      const conflict = (error as Error | null)?.name === 'WrongExpectedRevisionError';
      this.metrics.append(conflict ? 'conflict' : 'error', (performance.now() - start) / 1000);
      throw error;
    }
  }

  readStream(streamId: string, options?: { fromRevision?: bigint; maxCount?: number }): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId, options);
  }

  readAll(options?: { after?: bigint; maxCount?: number }): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  headPosition(): Promise<bigint> {
    return this.inner.headPosition();
  }

  subscribeToAll(options: { after?: bigint }, handler: SubscriptionHandler): Subscription {
    return this.inner.subscribeToAll(options, handler);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

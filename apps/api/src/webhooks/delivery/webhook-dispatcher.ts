import { createHmac, randomInt } from 'node:crypto';
import {
  DomainError,
  webhookDeliveryDecider,
  webhookDeliveryId,
  webhookDeliveryStreamId,
  webhookMatches,
  type DeliveryOutcome,
  type DeliveryRequest,
  type RetryPolicy,
  type WebhookDeliveryEvent,
  type WebhookDeliveryScheduled,
  type WebhookEventKind,
  type WebhookReplayRequested,
} from '@portcullis/domain';
import type { Bus, BusConsumer, EventStore, ReadStore, RecordedEvent } from '@portcullis/persistence';
import { WEBHOOK_DELIVERIES, WEBHOOKS, type WebhookDeliveryDoc, type WebhookDoc } from '@portcullis/read-models';
import { ConcurrencyError, EventSourcing } from '../../platform/event-sourcing';
import type { Clock } from '../../platform/clock';
import type { IdSource } from '../../platform/ids';
import type { SecretBox } from '../secret-box';
import { sendWebhook, type SenderOptions } from './http-sender';
import { REGISTRY_EVENT_TYPES, renderBody, subjectOf } from './payload';
import type { TargetGuard } from './target-guard';

/** DISPATCHER_GROUP is the consumer group every dispatcher instance joins (one work queue). */
export const DISPATCHER_GROUP = 'webhook-dispatcher';

/** DispatcherLogger is the little the dispatcher says; never a secret. */
export interface DispatcherLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** DispatcherOptions are the dispatcher's knobs (webhooks.* configuration). */
export interface DispatcherOptions {
  readonly retry: RetryPolicy & { readonly pollMs: number };
  readonly sender: SenderOptions;
  /** source is the CloudEvents `source` (the service's public name). */
  readonly source: string;
  readonly userAgent: string;
  /** onAttempt hears the outcome of every recorded attempt (the api's delivery counter on /metrics). */
  readonly onAttempt?: (outcome: DeliveryOutcome) => void;
  /** clock and ids: the api's own (so Clock.advance moves due times in tests), or the stand-alone process's. */
  readonly clock: Clock;
  readonly ids: IdSource;
}

const REDACTED = '[redacted]';

/**
 * WebhookDispatcher turns registry events into deliveries and deliveries into HTTP requests.
 * - A bus message (push, delete, pull; replay request; retrigger) is acknowledged only after every delivery
 *   it implies is scheduled (an event in its own stream, id derived from webhook+event, so a redelivered
 *   message meets the existing stream instead of doubling it). First attempts are made before the ack.
 * - Every attempt is an event; due retries are found in the `webhook_deliveries` read model by a poller,
 *   which is also what finishes deliveries a killed dispatcher left pending.
 * - The receiver may see a request twice (a crash between sending and recording), always with the same
 *   Idempotency-Key; it never sees an event zero times while the delivery is not dead.
 */
export class WebhookDispatcher {
  private consumer: BusConsumer | null = null;
  private poller: NodeJS.Timeout | null = null;
  private readonly inFlight = new Map<string, Promise<void>>();
  private stopped = false;
  private readonly es: EventSourcing;

  constructor(
    private readonly events: EventStore,
    private readonly reads: ReadStore,
    private readonly bus: Bus,
    private readonly box: SecretBox,
    private readonly guard: TargetGuard,
    private readonly options: DispatcherOptions,
    private readonly logger: DispatcherLogger,
  ) {
    // The one caller of EventSourcing outside command handlers (docs/architecture.md, "One write door"): it runs
    // where no CommandBus exists (dispatch-webhooks), and an attempt is appended at the revision read before the
    // request was sent, so two members attempting one delivery conflict instead of both recording.
    this.es = new EventSourcing(events, options.clock, options.ids);
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.consumer = await this.bus.consume(DISPATCHER_GROUP, (d) => this.handle(d.event, () => d.working()), {
      types: [...REGISTRY_EVENT_TYPES, 'WebhookReplayRequested', 'WebhookDeliveryRetriggered'],
      // A delivery can take a whole request timeout; the message must not be handed to another member meanwhile.
      ackWaitMs: this.ackWaitMs(),
      retryDelayMs: Math.min(this.options.retry.baseDelayMs, 5000),
    });
    this.schedulePoll();
    this.logger.log(`webhook dispatcher consuming the ${this.bus.kind} bus`);
  }

  /**
   * ackWaitMs: how long a message may stay unacknowledged before the bus hands it to another member (what a
   * killed dispatcher costs). A few request timeouts, kept alive by working() heartbeats during attempts.
   */
  private ackWaitMs(): number {
    return Math.max(5000, this.options.sender.timeoutMs * 3);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poller) clearTimeout(this.poller);
    await this.consumer?.stop();
    await Promise.all(this.inFlight.values());
  }

  /** handle is one bus message. */
  async handle(event: RecordedEvent, working: () => void = () => undefined): Promise<void> {
    if (event.type === 'WebhookDeliveryRetriggered') return this.attempt(String(event.data['id']));
    if (event.type === 'WebhookReplayRequested') return this.replay(event);
    const ids = await this.scheduleFor(event, null, null);
    const beat = setInterval(working, this.ackWaitMs() / 3);
    try {
      await Promise.all(ids.map((id) => this.attempt(id)));
    } finally {
      clearInterval(beat);
    }
  }

  /** scheduleFor schedules the deliveries of one registry event to the matching webhooks (or to one, on replay). */
  private async scheduleFor(event: RecordedEvent, only: WebhookDoc | null, replayId: number | null): Promise<string[]> {
    const hooks = only ? [only] : await this.reads.collection<WebhookDoc>(WEBHOOKS).find({ enabled: true });
    // Without a webhook there is nothing to schedule: no repository or registry lookup per registry event.
    if (hooks.length === 0) return [];
    const repo =
      event.type === 'RepositoryPulled'
        ? await this.reads.collection('repositories').get(String(event.data['repositoryId']))
        : null;
    const subject = subjectOf(event, repo as { full_name: string; namespace_id: number | null } | null);
    if (!subject) return [];
    const matching = hooks.filter((h) =>
      webhookMatches(
        {
          enabled: h.enabled,
          namespaceId: h.namespace_id,
          events: h.events as WebhookEventKind[],
          repositories: h.repositories,
        },
        subject,
        { ignoreEnabled: only !== null },
      ),
    );
    if (matching.length === 0) return [];
    const registryUrl = await this.registryUrl();
    const ids: string[] = [];
    for (const hook of matching) {
      const id = webhookDeliveryId(hook.id, event.id, replayId);
      const request: DeliveryRequest = {
        method: hook.request_method,
        url: hook.url,
        contentType: hook.content_type as DeliveryRequest['contentType'],
        body: renderBody(subject, event.id, {
          format: hook.format,
          contentType: hook.content_type as DeliveryRequest['contentType'],
          registryUrl,
          source: this.options.source,
        }),
      };
      await this.es
        .handle(webhookDeliveryDecider, webhookDeliveryStreamId(id), {
          type: 'ScheduleWebhookDelivery',
          data: {
            id,
            webhookId: hook.id,
            namespaceId: hook.namespace_id,
            eventId: event.id,
            eventPosition: String(event.position),
            eventKind: subject.kind,
            replayId,
            idempotencyKey: `${event.id}.${hook.id}`,
            request,
          },
          metadata: this.es.metadataFor(null),
        })
        .catch((e) => {
          // Scheduled already (a redelivered message, another dispatcher): the existing delivery carries on.
          if (!(e instanceof ConcurrencyError) && !(e instanceof DomainError && e.code === 'WEBHOOK_DELIVERY.EXISTS'))
            throw e;
        });
      ids.push(id);
    }
    return ids;
  }

  /** replay schedules every matching event after the requested position/time, up to the head when it was asked. */
  private async replay(recorded: RecordedEvent): Promise<void> {
    const r = recorded.data as WebhookReplayRequested['data'];
    const hook = await this.reads.collection<WebhookDoc>(WEBHOOKS).get(String(r.id));
    if (!hook) return;
    const through = BigInt(r.throughPosition);
    let after = r.afterPosition === null ? undefined : BigInt(r.afterPosition);
    const since = r.since === null ? null : Date.parse(r.since);
    const ids: string[] = [];
    for (;;) {
      const batch = await this.events.readAll({ after, maxCount: 500 });
      for (const e of batch) {
        if (e.position > through) break;
        if (!(REGISTRY_EVENT_TYPES as readonly string[]).includes(e.type)) continue;
        const at = Date.parse(((e.data['at'] as string | undefined) ?? e.created) as string);
        if (since !== null && at < since) continue;
        ids.push(...(await this.scheduleFor(e, hook, r.replayId)));
      }
      if (!batch.length || batch[batch.length - 1].position >= through) break;
      after = batch[batch.length - 1].position;
    }
    this.logger.log(`replay ${r.replayId} of webhook ${r.id}: ${ids.length} deliveries scheduled`);
    // Not awaited: the message is settled once scheduled; the poller finishes whatever a crash interrupts.
    for (const id of ids) void this.attempt(id);
  }

  /** attempt makes one attempt of a pending, due delivery and records it; concurrent calls for one id share it. */
  attempt(id: string): Promise<void> {
    const running = this.inFlight.get(id);
    if (running) return running;
    const p = this.attemptOnce(id)
      .catch((e: Error) => this.logger.error(`delivery ${id}: ${e.message}`))
      .finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, p);
    return p;
  }

  private async attemptOnce(id: string): Promise<void> {
    const stream = webhookDeliveryStreamId(id);
    const recorded = await this.events.readStream(stream);
    if (!recorded.length) return;
    const events = recorded.map((e) => ({ type: e.type, data: e.data }) as unknown as WebhookDeliveryEvent);
    const state = events.reduce(webhookDeliveryDecider.evolve, webhookDeliveryDecider.initialState());
    if (
      state.status !== 'pending' ||
      (state.nextAttemptAt && Date.parse(state.nextAttemptAt) > this.options.clock.ms())
    )
      return;
    const scheduled = (events[0] as WebhookDeliveryScheduled).data;
    const hook = await this.reads.collection<WebhookDoc>(WEBHOOKS).get(String(state.webhookId));
    const { headers, redacted } = this.headersFor(scheduled, hook);
    const result = hook
      ? await sendWebhook(
          { method: scheduled.request.method, url: scheduled.request.url, headers, body: scheduled.request.body },
          this.guard,
          this.options.sender,
        )
      : { status: 0, durationMs: 0, error: 'the webhook was deleted', retryable: false, response: null };
    const revision = recorded[recorded.length - 1].revision;
    const done = await this.es
      .handle(
        webhookDeliveryDecider,
        stream,
        {
          type: 'RecordDeliveryAttempt',
          data: {
            ...result,
            requestHeaders: redacted,
            policy: this.options.retry,
            jitter: randomInt(1_000_000) / 1_000_000,
          },
          metadata: this.es.metadataFor(null),
        },
        { loaded: { state, revision } },
      )
      .catch((e) => {
        // Another dispatcher recorded an attempt meanwhile; the receiver saw the same Idempotency-Key twice.
        if (!(e instanceof ConcurrencyError)) throw e;
        return null;
      });
    for (const e of done?.events ?? [])
      if (e.type === 'WebhookDeliveryAttempted') this.options.onAttempt?.(e.data.outcome);
  }

  /** headersFor builds the request headers from the webhook's current settings, and a redacted copy to record. */
  private headersFor(s: WebhookDeliveryScheduled['data'], hook: WebhookDoc | null) {
    const headers: Record<string, string> = {
      'Content-Type': s.request.contentType,
      'User-Agent': this.options.userAgent,
      'Idempotency-Key': s.idempotencyKey,
      'Portcullis-Delivery': s.id,
      'Portcullis-Event': s.eventKind,
    };
    const redacted: Record<string, string> = { ...headers };
    if (!hook) return { headers, redacted };
    // Custom headers win on a name clash (Portus), except over our own, which the domain refuses anyway.
    for (const h of hook.headers) {
      const existing = Object.keys(headers).find((k) => k.toLowerCase() === h.name.toLowerCase());
      if (existing) {
        delete headers[existing];
        delete redacted[existing];
      }
      headers[h.name] = this.box.open(h.value_sealed);
      redacted[h.name] = REDACTED;
    }
    if (hook.username && hook.password_sealed) {
      const basic = Buffer.from(`${hook.username}:${this.box.open(hook.password_sealed)}`).toString('base64');
      headers['Authorization'] = `Basic ${basic}`;
      redacted['Authorization'] = `Basic ${REDACTED}`;
    }
    if (hook.secret_sealed) {
      const mac = createHmac('sha256', this.box.open(hook.secret_sealed)).update(s.request.body).digest('hex');
      headers['Portcullis-Signature-256'] = `sha256=${mac}`;
      redacted['Portcullis-Signature-256'] = `sha256=${mac}`;
    }
    return { headers, redacted };
  }

  private async registryUrl(): Promise<string | null> {
    const [registry] = await this.reads.collection('registries').find({}, { limit: 1 });
    if (!registry) return null;
    const host = (registry['external_hostname'] as string | null) || (registry['hostname'] as string);
    return `${registry['use_ssl'] ? 'https' : 'http'}://${host}`;
  }

  /** schedulePoll looks for due retries (and deliveries a crash left pending) every retry.poll_ms. */
  private schedulePoll(): void {
    if (this.stopped) return;
    this.poller = setTimeout(() => {
      void this.poll()
        .catch((e: Error) => this.logger.error(`retry poll failed: ${e.message}`))
        .finally(() => this.schedulePoll());
    }, this.options.retry.pollMs);
  }

  async poll(): Promise<void> {
    const due = await this.reads
      .collection<WebhookDeliveryDoc>(WEBHOOK_DELIVERIES)
      .find(
        { state: 'pending', next_attempt_at: { $lte: this.options.clock.iso() } },
        { sort: [['next_attempt_at', 1]], limit: 50 },
      );
    await Promise.all(due.map((d) => this.attempt(d.id)));
  }
}

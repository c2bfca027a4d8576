import {
  AckPolicy,
  DeliverPolicy,
  RetentionPolicy,
  StorageType,
  connect,
  DebugEvents,
  Events,
  millis,
  nanos,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type NatsConnection,
  type StreamConfig,
  type Status,
  type StreamInfo,
} from 'nats';
import { StoreUnavailableError, type RecordedEvent } from '../event-store/event-store.port';
import {
  SILENT_LOGGER,
  type AdapterLogger,
  type ComponentHealth,
  type HealthReporter,
} from '../shared/component-health';
import { redactCredentials } from '../shared/redact';
import type { Bus, BusConsumer, BusHandler, ConsumeOptions } from './bus.port';

/** NatsBusOptions names the JetStream stream; its subjects are `<subjectPrefix>.<event type>`. */
export interface NatsBusOptions {
  /** url: one server or a comma-separated list of cluster members (nats://[user:pass@]host:port,…). */
  readonly url: string;
  /** reconnectTimeWaitMs: wait between reconnect attempts to the same server (default 2 s); attempts never stop. */
  readonly reconnectTimeWaitMs?: number;
  /** reconnectJitterMs: up to this much is added at random to each wait, so replicas do not reconnect in step (default 500 ms). */
  readonly reconnectJitterMs?: number;
  /** publishTimeoutMs: how long a publish waits for JetStream's acknowledgement before BusUnavailableError (default 5 s). */
  readonly publishTimeoutMs?: number;
  /** logger hears connection changes and stream/consumer changes (no secrets). */
  readonly logger?: AdapterLogger;
  readonly stream?: string;
  readonly subjectPrefix?: string;
  /** duplicateWindowMs: JetStream drops a second publish with the same Nats-Msg-Id within it (default 10 min). */
  readonly duplicateWindowMs?: number;
  /** maxAgeMs: how long the stream keeps messages; the event store, not the bus, is the history (default 7 d). */
  readonly maxAgeMs?: number;
}

/** BusUnavailableError: NATS did not take a message (disconnected, reconnecting, or no JetStream answer). */
export class BusUnavailableError extends StoreUnavailableError {
  constructor(message: string, cause?: unknown) {
    super(message, cause);
    this.name = 'BusUnavailableError';
  }
}

/**
 * NatsConfigError: an existing stream or consumer differs from what Portcullis needs in a way the
 * server cannot change in place; the message says what differs and what to do.
 */
export class NatsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NatsConfigError';
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** wire is a RecordedEvent as JSON (bigints as decimal strings). */
function toWire(e: RecordedEvent): Uint8Array {
  return encoder.encode(JSON.stringify({ ...e, revision: String(e.revision), position: String(e.position) }));
}
function fromWire(bytes: Uint8Array): RecordedEvent {
  const raw = JSON.parse(decoder.decode(bytes)) as RecordedEvent & { revision: string; position: string };
  return { ...raw, revision: BigInt(raw.revision), position: BigInt(raw.position) };
}

/**
 * NatsJetStreamBus is the distributed adapter. Publishing sets `Nats-Msg-Id` to the event id, so a
 * re-publish after a publisher crash is dropped by the server's duplicate window. A consumer group is a
 * durable pull consumer with explicit acks, shared by every member (a work queue: each message to one
 * member); retention is by limits rather than WorkQueue so further groups can be added later.
 * The stream and the consumers are created idempotently when first used.
 */
export class NatsJetStreamBus implements Bus, HealthReporter {
  readonly kind = 'nats' as const;
  private readonly stream: string;
  private readonly prefix: string;
  private ready: Promise<void> | null = null;
  private readonly consumers = new Set<BusConsumer>();
  private readonly logger: AdapterLogger;
  private readonly where: string;
  /** lostSince is when the connection dropped, null while connected. */
  private lostSince: Date | null = null;
  private reconnectAttempts = 0;
  private readonly statuses: AsyncIterable<Status>;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly js: JetStreamClient,
    private readonly options: NatsBusOptions,
  ) {
    this.stream = options.stream ?? 'PORTCULLIS_EVENTS';
    this.prefix = options.subjectPrefix ?? this.stream.toLowerCase();
    this.logger = options.logger ?? SILENT_LOGGER;
    this.where = safeNatsUrl(options.url);
    this.statuses = nc.status();
    void this.watch();
  }

  /**
   * connect opens the connection (reconnecting forever afterwards, every reconnectTimeWaitMs plus
   * jitter) and creates or reconciles the stream at once, so a wrong stream set-up stops start-up
   * rather than the first publish.
   */
  static async connect(options: NatsBusOptions): Promise<NatsJetStreamBus> {
    const servers = options.url
      .split(',')
      .map((server) => server.trim())
      .filter(Boolean);
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers,
        name: 'portcullis',
        maxReconnectAttempts: -1,
        reconnectTimeWait: options.reconnectTimeWaitMs ?? 2000,
        reconnectJitter: options.reconnectJitterMs ?? 500,
        reconnectJitterTLS: options.reconnectJitterMs ?? 500,
      });
    } catch (error) {
      throw new BusUnavailableError(`NATS unreachable at ${safeNatsUrl(options.url)}: ${reason(error)}`, error);
    }
    const bus = new NatsJetStreamBus(nc, await nc.jetstreamManager(), nc.jetstream(), options);
    try {
      await bus.ensureStream();
    } catch (error) {
      await bus.close();
      throw error;
    }
    return bus;
  }

  /** health says whether the connection is up and the stream answers (bounded by the client's request timeout). */
  async health(): Promise<ComponentHealth> {
    if (this.nc.isClosed()) return { status: 'down', message: `NATS connection to ${this.where} is closed` };
    if (this.lostSince) {
      return {
        status: 'reconnecting',
        message: `NATS at ${this.where} unreachable since ${this.lostSince.toISOString()}; reconnecting (attempt ${this.reconnectAttempts}, no limit)`,
      };
    }
    try {
      const info = await this.jsm.streams.info(this.stream);
      return {
        status: 'up',
        message: `NATS JetStream at ${this.where}: stream ${this.stream} holds ${info.state.messages} message(s)`,
      };
    } catch (error) {
      return { status: 'down', message: `NATS JetStream stream ${this.stream} at ${this.where}: ${reason(error)}` };
    }
  }

  /** watch follows the client's status events: one log line per change, and the state health() reports. */
  private async watch(): Promise<void> {
    for await (const status of this.statuses) {
      switch (status.type) {
        case Events.Disconnect:
          this.lostSince ??= new Date();
          this.logger.warn(
            `NATS connection to ${this.where} lost; reconnecting without limit every ${this.options.reconnectTimeWaitMs ?? 2000} ms (+ jitter)`,
          );
          break;
        case DebugEvents.Reconnecting:
          this.reconnectAttempts++;
          break;
        case Events.Reconnect:
          this.logger.log(
            `NATS reconnected to ${this.where} after ${this.reconnectAttempts} attempt(s); consumers resume where they were`,
          );
          this.lostSince = null;
          this.reconnectAttempts = 0;
          break;
        case Events.LDM:
          this.logger.warn(`NATS server at ${this.where} is shutting down (lame duck mode); the client will move`);
          break;
        case Events.Error:
          this.logger.error(`NATS error at ${this.where}: ${redactCredentials(String(status.data))}`);
          break;
        default:
          break;
      }
    }
  }

  /**
   * ensureStream creates the stream, or brings an existing one to the wanted settings. Settings NATS can
   * change in place (subjects, duplicate window, max age) are updated and logged; storage and retention
   * cannot be changed in place, so a stream that differs there stops start-up with what to do.
   */
  private ensureStream(): Promise<void> {
    this.ready ??= (async () => {
      const wanted: Partial<StreamConfig> & { name: string } = {
        name: this.stream,
        subjects: [`${this.prefix}.>`],
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        duplicate_window: nanos(this.options.duplicateWindowMs ?? 10 * 60_000),
        max_age: nanos(this.options.maxAgeMs ?? 7 * 24 * 3_600_000),
      };
      let info: StreamInfo | null = null;
      try {
        info = await this.jsm.streams.info(this.stream);
      } catch (e) {
        if (!/stream not found/i.test((e as Error).message)) throw e;
      }
      if (!info) {
        await this.jsm.streams.add(wanted).catch(async (e: Error) => {
          // Another replica created it in between; reconcile with what it made.
          if (!/already in use|already exists/i.test(e.message)) throw e;
          info = await this.jsm.streams.info(this.stream);
        });
        if (!info) {
          this.logger.log(`NATS stream ${this.stream} created (subjects ${this.prefix}.>)`);
          return;
        }
      }
      const current: StreamConfig = (info as StreamInfo).config;
      const fixed = (['storage', 'retention'] as const).filter((key) => current[key] !== wanted[key]);
      if (fixed.length > 0) {
        const what = fixed.map((key) => `${key} is ${current[key]}, Portcullis needs ${wanted[key]}`).join('; ');
        throw new NatsConfigError(
          `NATS stream ${this.stream} exists with other settings NATS cannot change in place (${what}). ` +
            `Delete it (nats stream rm ${this.stream}) or set webhooks.nats.stream to a new name: the event store ` +
            `is the history and the publisher republishes from its checkpoint.`,
        );
      }
      const changes: string[] = [];
      if (JSON.stringify(current.subjects) !== JSON.stringify(wanted.subjects))
        changes.push(`subjects ${current.subjects.join(',')} → ${wanted.subjects?.join(',')}`);
      for (const key of ['duplicate_window', 'max_age'] as const) {
        if (current[key] !== wanted[key])
          changes.push(`${key} ${millis(current[key])} ms → ${millis(wanted[key] ?? 0)} ms`);
      }
      if (changes.length === 0) return;
      await this.jsm.streams.update(this.stream, { ...current, ...wanted });
      this.logger.log(`NATS stream ${this.stream} updated: ${changes.join('; ')}`);
    })().catch((e) => {
      this.ready = null;
      throw e;
    });
    return this.ready;
  }

  async publish(event: RecordedEvent): Promise<void> {
    await this.ensureStream();
    try {
      await this.js.publish(`${this.prefix}.${event.type}`, toWire(event), {
        msgID: event.id,
        timeout: this.options.publishTimeoutMs ?? 5000,
      });
    } catch (error) {
      const state = this.lostSince
        ? `unreachable since ${this.lostSince.toISOString()}, reconnecting`
        : 'no acknowledgement from JetStream';
      throw new BusUnavailableError(
        `publish of ${event.type} to ${this.stream}: NATS at ${this.where} ${state}: ${reason(error)}`,
        error,
      );
    }
  }

  async consume(group: string, handler: BusHandler, options: ConsumeOptions = {}): Promise<BusConsumer> {
    await this.ensureStream();
    const ackWaitMs = options.ackWaitMs ?? 30_000;
    const config = {
      durable_name: group,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(ackWaitMs),
      max_deliver: -1,
      // NOTE: one filter subject per consumer: nats-server 2.9 (Debian 12) has no filter_subjects; types are
      // filtered here instead, and unwanted messages acknowledged.
      filter_subject: `${this.prefix}.>`,
    };
    await this.ensureConsumer(group, config);
    const consumer = await this.js.consumers.get(this.stream, group);
    const concurrency = options.concurrency ?? 4;
    const retryDelayMs = options.retryDelayMs ?? 1000;
    const types = options.types ?? null;
    const messages: ConsumerMessages = await consumer.consume({ max_messages: concurrency });
    const inFlight = new Set<Promise<void>>();
    const handle = async (m: JsMsg) => {
      const event = fromWire(m.data);
      if (types && !types.includes(event.type)) return m.ack();
      try {
        await handler({ event, deliveryCount: m.info.deliveryCount, working: () => m.working() });
        await m.ackAck().catch(() => m.ack());
      } catch {
        m.nak(retryDelayMs);
      }
    };
    const loop = (async () => {
      for await (const m of messages) {
        const p = handle(m).finally(() => inFlight.delete(p));
        inFlight.add(p);
        while (inFlight.size >= concurrency) await Promise.race(inFlight);
      }
    })();
    const busConsumer: BusConsumer = {
      stop: async () => {
        this.consumers.delete(busConsumer);
        await messages.close();
        await loop.catch(() => undefined);
        await Promise.all(inFlight);
      },
    };
    this.consumers.add(busConsumer);
    return busConsumer;
  }

  /**
   * ensureConsumer creates the durable consumer, or reconciles an existing one: ack_wait is updated in
   * place (and logged); a different ack policy, deliver policy or filter cannot be changed in place and
   * stops with what to do.
   */
  private async ensureConsumer(
    group: string,
    config: {
      durable_name: string;
      ack_policy: AckPolicy;
      deliver_policy: DeliverPolicy;
      ack_wait: number;
      max_deliver: number;
      filter_subject: string;
    },
  ): Promise<void> {
    let current;
    try {
      current = (await this.jsm.consumers.info(this.stream, group)).config;
    } catch (e) {
      if (!/consumer not found/i.test((e as Error).message)) throw e;
      await this.jsm.consumers.add(this.stream, config).catch(async (err: Error) => {
        // Another member created it in between: that is the idempotent outcome we wanted.
        if (!/already (exists|in use)/i.test(err.message)) throw err;
      });
      return;
    }
    const fixed = (['ack_policy', 'deliver_policy', 'filter_subject'] as const).filter(
      (key) => (current[key] ?? '') !== config[key],
    );
    if (fixed.length > 0) {
      const what = fixed.map((key) => `${key} is ${current[key] ?? 'unset'}, Portcullis needs ${config[key]}`);
      throw new NatsConfigError(
        `NATS consumer ${group} on stream ${this.stream} exists with settings that cannot change in place ` +
          `(${what.join('; ')}). Delete it (nats consumer rm ${this.stream} ${group}); the recreated ` +
          `consumer delivers the stream's retained messages again from its start.`,
      );
    }
    if (current.ack_wait !== config.ack_wait || current.max_deliver !== config.max_deliver) {
      await this.jsm.consumers.update(this.stream, group, {
        ack_wait: config.ack_wait,
        max_deliver: config.max_deliver,
      });
      this.logger.log(
        `NATS consumer ${group} updated: ack_wait ${millis(current.ack_wait ?? 0)} ms → ${millis(config.ack_wait)} ms`,
      );
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.stop()));
    await this.nc.drain().catch(() => this.nc.close());
    // The client does not end the status iterator on close; stopping it ends watch().
    (this.statuses as { stop?: () => void }).stop?.();
  }

  /** streamName is the JetStream stream this bus publishes to. */
  get streamName(): string {
    return this.stream;
  }

  /** deleteStream removes the stream (tests clean up after themselves on a shared server). */
  async deleteStream(): Promise<void> {
    await this.jsm.streams.delete(this.stream).catch(() => undefined);
  }
}

/**
 * checkNatsUrl throws when `url` is not a server or a comma-separated list of servers the client can
 * use (nats://, tls://, or host:port), with a message that never quotes credentials.
 */
export function checkNatsUrl(url: string): void {
  const servers = url.split(',').map((server) => server.trim());
  servers.forEach((server, i) => {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(server) ? server : `nats://${server}`;
    let parsed: URL;
    try {
      parsed = new URL(withScheme);
    } catch {
      throw new Error(`NATS server #${i + 1} is not a URL (nats://[user:pass@]host:port)`);
    }
    if (!['nats:', 'tls:'].includes(parsed.protocol))
      throw new Error(`NATS server #${i + 1} must use nats:// or tls://, not ${parsed.protocol}//`);
    if (!parsed.hostname) throw new Error(`NATS server #${i + 1} names no host`);
  });
}

/** safeNatsUrl is the server list without credentials, for logs and health messages. */
export function safeNatsUrl(url: string): string {
  return url
    .split(',')
    .map((server) => redactCredentials(server.trim()))
    .join(',');
}

/** reason is an error's message (and NATS code) with credentials removed. */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return redactCredentials(String(error));
  const code = (error as { code?: string }).code;
  return redactCredentials(code && !error.message.includes(code) ? `${error.message} (${code})` : error.message);
}

import {
  AckPolicy,
  DeliverPolicy,
  RetentionPolicy,
  StorageType,
  connect,
  nanos,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type NatsConnection,
} from 'nats';
import type { RecordedEvent } from '../event-store/event-store.port';
import type { Bus, BusConsumer, BusHandler, ConsumeOptions } from './bus.port';

/** NatsBusOptions names the JetStream stream; its subjects are `<subjectPrefix>.<event type>`. */
export interface NatsBusOptions {
  readonly url: string;
  readonly stream?: string;
  readonly subjectPrefix?: string;
  /** duplicateWindowMs: JetStream drops a second publish with the same Nats-Msg-Id within it (default 10 min). */
  readonly duplicateWindowMs?: number;
  /** maxAgeMs: how long the stream keeps messages; the event store, not the bus, is the history (default 7 d). */
  readonly maxAgeMs?: number;
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
export class NatsJetStreamBus implements Bus {
  readonly kind = 'nats' as const;
  private readonly stream: string;
  private readonly prefix: string;
  private ready: Promise<void> | null = null;
  private readonly consumers = new Set<BusConsumer>();

  private constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly js: JetStreamClient,
    private readonly options: NatsBusOptions,
  ) {
    this.stream = options.stream ?? 'PORTCULLIS_EVENTS';
    this.prefix = options.subjectPrefix ?? this.stream.toLowerCase();
  }

  /** connect opens the connection; the stream is ensured before the first publish or consume. */
  static async connect(options: NatsBusOptions): Promise<NatsJetStreamBus> {
    const nc = await connect({ servers: options.url, name: 'portcullis', maxReconnectAttempts: -1 });
    const jsm = await nc.jetstreamManager();
    return new NatsJetStreamBus(nc, jsm, nc.jetstream(), options);
  }

  private ensureStream(): Promise<void> {
    this.ready ??= (async () => {
      const config = {
        name: this.stream,
        subjects: [`${this.prefix}.>`],
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        duplicate_window: nanos(this.options.duplicateWindowMs ?? 10 * 60_000),
        max_age: nanos(this.options.maxAgeMs ?? 7 * 24 * 3_600_000),
      };
      try {
        await this.jsm.streams.info(this.stream);
        await this.jsm.streams.update(this.stream, config);
      } catch (e) {
        if (!/stream not found/i.test((e as Error).message)) throw e;
        await this.jsm.streams.add(config);
      }
    })().catch((e) => {
      this.ready = null;
      throw e;
    });
    return this.ready;
  }

  async publish(event: RecordedEvent): Promise<void> {
    await this.ensureStream();
    await this.js.publish(`${this.prefix}.${event.type}`, toWire(event), { msgID: event.id });
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
    try {
      await this.jsm.consumers.info(this.stream, group);
      await this.jsm.consumers.update(this.stream, group, { ack_wait: config.ack_wait });
    } catch (e) {
      if (!/consumer not found/i.test((e as Error).message)) throw e;
      await this.jsm.consumers.add(this.stream, config).catch(async (err: Error) => {
        // Another member created it in between: that is the idempotent outcome we wanted.
        if (!/already (exists|in use)/i.test(err.message)) throw err;
      });
    }
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

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.stop()));
    await this.nc.drain().catch(() => undefined);
  }

  /** deleteStream removes the stream (tests clean up after themselves on a shared server). */
  async deleteStream(): Promise<void> {
    await this.jsm.streams.delete(this.stream).catch(() => undefined);
  }
}

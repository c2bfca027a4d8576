import type { RecordedEvent } from '../event-store/event-store.port';

/**
 * Bus is the fan-out port between the event store and reactors with side effects (the webhook dispatcher):
 * publish(event) deduplicated on the event id, and durable consumer groups in which every message goes to
 * one member (a work queue) and stays owed until a member acknowledges it. Delivery is at least once.
 * Adapters: in-process (fed by an event-store subscription) and NATS JetStream; one contract suite runs
 * against both (docs/architecture.md, "Webhooks").
 */

/** BusDelivery is one delivery of a message to a consumer. */
export interface BusDelivery {
  readonly event: RecordedEvent;
  /** deliveryCount is 1 the first time, more when an earlier delivery was not acknowledged. */
  readonly deliveryCount: number;
  /** working tells the bus the handler is still busy, so it does not hand the message to another member. */
  working(): void;
}

/**
 * BusHandler settles a delivery by its outcome: resolving acknowledges it, throwing leaves it owed and it is
 * delivered again after the consumer's retry delay.
 */
export type BusHandler = (delivery: BusDelivery) => Promise<void>;

/** ConsumeOptions tunes one member of a consumer group. */
export interface ConsumeOptions {
  /** types: only these event types reach the handler; others are acknowledged unseen (default: all). */
  readonly types?: readonly string[];
  /** concurrency is how many deliveries one member handles at once (default 4). */
  readonly concurrency?: number;
  /** ackWaitMs: an unacknowledged delivery is handed out again after this long (default 30 s). */
  readonly ackWaitMs?: number;
  /** retryDelayMs: after a handler throws, the message comes back after this long (default 1 s). */
  readonly retryDelayMs?: number;
}

/** BusConsumer is one running member of a consumer group; stop() waits for handlers in flight. */
export interface BusConsumer {
  stop(): Promise<void>;
}

/** Bus is the bus port. */
export interface Bus {
  /** kind names the adapter for logs. */
  readonly kind: 'in-process' | 'nats';
  /** publish hands one recorded event to the bus; publishing the same event id again is a no-op. */
  publish(event: RecordedEvent): Promise<void>;
  /** consume joins `group` (created on first use, idempotently) and feeds it to `handler`. */
  consume(group: string, handler: BusHandler, options?: ConsumeOptions): Promise<BusConsumer>;
  close(): Promise<void>;
}

/** BUS is the Nest DI token for the Bus port. */
export const BUS = Symbol('BUS');

import type { EventStore } from '../event-store/event-store.port';
import type { ReadStore } from '../read-store/read-store.port';
import type { Bus } from './bus.port';
import { EventStoreFeed, type FeedLogger } from './event-store-feed';

/**
 * BUS_PUBLISHER_CHECKPOINT is the publisher's checkpoint in the read store. One name for every process that may
 * publish (the projector holding the lease, an api running the projections in-process), so a hand-over
 * between them goes on where the other stopped.
 */
export const BUS_PUBLISHER_CHECKPOINT = 'bus-publisher';

/**
 * BusPublisher publishes every event to a durable bus (NATS JetStream) for the webhook dispatchers on its work
 * queue: its checkpoint advances once the bus acknowledged, and a first start begins at the store's head. A
 * message published twice around a restart or a hand-over is dropped by the bus (Nats-Msg-Id = event id).
 */
export class BusPublisher extends EventStoreFeed {
  constructor(events: EventStore, reads: ReadStore, bus: Bus, options: { logger?: FeedLogger } = {}) {
    super(events, reads, bus, BUS_PUBLISHER_CHECKPOINT, { ...options, fromHead: true });
  }
}

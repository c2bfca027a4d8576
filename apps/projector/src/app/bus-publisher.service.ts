import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import {
  BusPublisher,
  EVENT_STORE,
  NatsJetStreamBus,
  READ_STORE,
  type EventStore,
  type ReadStore,
} from '@portcullis/persistence';
import { natsBusOptions } from '@portcullis/config';
import { PROJECTOR_CONFIG, type ProjectorConfig } from './projector-config';

/**
 * BusPublisherService publishes every event to NATS JetStream when PORTCULLIS_NATS_URL is set, for the webhook
 * dispatchers on the work queue. Without NATS it does nothing: the dispatcher then follows the event store
 * itself. Only the projector instance holding the lease publishes (ProjectionRunnerService starts and stops it);
 * the BusPublisher (libs/persistence) is the same one an api running the projections in-process uses.
 */
@Injectable()
export class BusPublisherService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('bus-publisher');
  private feed: BusPublisher | null = null;
  private bus: NatsJetStreamBus | null = null;

  constructor(
    @Inject(PROJECTOR_CONFIG) private readonly config: ProjectorConfig,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
  ) {}

  /** start connects and publishes from the checkpoint (no-op without NATS or when already running). */
  async start(): Promise<void> {
    if (!this.config.natsUrl || this.feed) return;
    this.bus = await NatsJetStreamBus.connect(
      natsBusOptions({ ...this.config, natsUrl: this.config.natsUrl }, new Logger('nats')),
    );
    this.feed = new BusPublisher(this.events, this.reads, this.bus, { logger: this.logger });
    await this.feed.start();
    this.logger.log(`publishing events to NATS JetStream stream ${this.config.natsStream}`);
  }

  /** stop ends publishing and closes the NATS connection. */
  async stop(): Promise<void> {
    const [feed, bus] = [this.feed, this.bus];
    this.feed = null;
    this.bus = null;
    await feed?.stop();
    await bus?.close();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }
}

import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  EVENT_STORE,
  EventStoreFeed,
  NatsJetStreamBus,
  READ_STORE,
  type EventStore,
  type ReadStore,
} from '@portcullis/persistence';
import { PROJECTOR_CONFIG, type ProjectorConfig } from './projector-config';

/** PUBLISHER_CHECKPOINT is the feed's checkpoint (the api uses the same name when it projects in-process). */
export const PUBLISHER_CHECKPOINT = 'bus-publisher';

/**
 * BusPublisherService publishes every event to NATS JetStream when PORTCULLIS_NATS_URL is set, for the webhook
 * dispatchers on the work queue. Without NATS it does nothing: the dispatcher then follows the event store
 * itself. A first start begins at the store's head (webhooks are for what happens from then on).
 */
@Injectable()
export class BusPublisherService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('bus-publisher');
  private feed: EventStoreFeed | null = null;
  private bus: NatsJetStreamBus | null = null;

  constructor(
    @Inject(PROJECTOR_CONFIG) private readonly config: ProjectorConfig,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.natsUrl) return;
    this.bus = await NatsJetStreamBus.connect({ url: this.config.natsUrl, stream: this.config.natsStream });
    if ((await this.reads.getCheckpoint(PUBLISHER_CHECKPOINT)) === null) {
      const head = await this.events.headPosition();
      await this.reads.setCheckpoint(PUBLISHER_CHECKPOINT, head < 0n ? 0n : head);
    }
    this.feed = new EventStoreFeed(this.events, this.reads, this.bus, PUBLISHER_CHECKPOINT, { logger: this.logger });
    await this.feed.start();
    this.logger.log(`publishing events to NATS JetStream stream ${this.config.natsStream}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.feed?.stop();
    await this.bus?.close();
  }
}

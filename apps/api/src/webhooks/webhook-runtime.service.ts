import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EVENT_STORE, READ_STORE, type EventStore, type ReadStore } from '@portcullis/persistence';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { Clock } from '../platform/clock';
import { IdSource } from '../platform/ids';
import { Metrics } from '../observability/metrics';
import { SecretBox } from './secret-box';
import { startWebhookRuntime, type WebhookRuntime } from './webhook-runtime';

/**
 * WebhookRuntimeService runs the dispatcher in the api process (webhooks.dispatcher.enabled, the embedded
 * default) and, when the projections run in-process and NATS is configured, the publisher too.
 * It stops before the stores close (beforeApplicationShutdown runs before onApplicationShutdown).
 */
@Injectable()
export class WebhookRuntimeService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('webhooks');
  runtime: WebhookRuntime | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(SecretBox) private readonly box: SecretBox,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(IdSource) private readonly ids: IdSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const dispatch = this.config.webhooks.dispatcherEnabled;
    const publish = this.config.embeddedProjector && this.config.natsUrl !== null;
    if (!dispatch && !publish) return;
    this.runtime = await startWebhookRuntime(this.config, this.events, this.reads, this.box, this.logger, {
      dispatch,
      publish,
      onAttempt: (outcome) => this.metrics.delivery(outcome),
      clock: this.clock,
      ids: this.ids,
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runtime?.stop();
    this.runtime = null;
  }
}

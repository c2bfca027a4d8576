import {
  BusPublisher,
  EventStoreFeed,
  InProcessBus,
  NatsJetStreamBus,
  type Bus,
  type EventStore,
  type ReadStore,
} from '@portcullis/persistence';
import { Logger } from '@nestjs/common';
import { natsBusOptions, type AppConfig } from '@portcullis/config';
import { VERSION } from '../platform/version';
import {
  DISPATCHER_GROUP,
  WebhookDispatcher,
  type DispatcherLogger,
  type DispatcherOptions,
} from './delivery/webhook-dispatcher';
import { TargetGuard, type Resolver } from './delivery/target-guard';
import type { SecretBox } from './secret-box';

/** IN_PROCESS_FEED_CHECKPOINT is the dispatcher's own feed's checkpoint in the read store (without NATS). */
export const IN_PROCESS_FEED_CHECKPOINT = 'webhook-dispatcher-feed';

/** WebhookRuntime is the running bus, feed and dispatcher of one process. */
export interface WebhookRuntime {
  readonly bus: Bus;
  readonly dispatcher: WebhookDispatcher | null;
  stop(): Promise<void>;
}

/**
 * startWebhookRuntime wires what this process runs:
 * - with `nats_url`: `publish` runs the BusPublisher, as the projector does (an api with embedded
 *   projections), `dispatch` joins the dispatcher work queue (any number of processes);
 * - without: the dispatcher reads its own event-store subscription through the in-process bus, whose feed
 *   checkpoint only moves past what the dispatcher settled (so a crash replays, never skips).
 * A feed with no checkpoint starts at the store's head: webhooks are for what happens from now on; history
 * is redelivered only on request (replay).
 */
export async function startWebhookRuntime(
  config: AppConfig,
  events: EventStore,
  reads: ReadStore,
  box: SecretBox,
  logger: DispatcherLogger,
  options: {
    dispatch: boolean;
    publish: boolean;
    resolver?: Resolver;
    onAttempt?: DispatcherOptions['onAttempt'];
    /** clock and ids: the process's one clock and id source (the api's injected ones, or the dispatcher process's). */
    clock: DispatcherOptions['clock'];
    ids: DispatcherOptions['ids'];
  },
): Promise<WebhookRuntime> {
  const w = config.webhooks;
  const bus: Bus = config.natsUrl
    ? await NatsJetStreamBus.connect(
        natsBusOptions(
          { natsUrl: config.natsUrl, natsStream: config.webhooks.natsStream, stores: config.stores },
          new Logger('nats'),
        ),
      )
    : new InProcessBus();
  let feed: EventStoreFeed | null = null;
  let dispatcher: WebhookDispatcher | null = null;
  if (bus.kind === 'nats' && options.publish) feed = new BusPublisher(events, reads, bus, { logger });
  if (options.dispatch) {
    dispatcher = new WebhookDispatcher(
      events,
      reads,
      bus,
      box,
      new TargetGuard(w.allowedHosts, options.resolver),
      {
        retry: w.retry,
        sender: { timeoutMs: w.timeoutMs, responseMaxBytes: w.responseMaxBytes },
        source: `//${config.machineFqdn}/portcullis`,
        userAgent: `Portcullis-Webhooks/${VERSION.version}`,
        onAttempt: options.onAttempt,
        clock: options.clock,
        ids: options.ids,
      },
      logger,
    );
    await dispatcher.start();
    if (bus.kind === 'in-process')
      feed = new EventStoreFeed(events, reads, bus, IN_PROCESS_FEED_CHECKPOINT, {
        settleGroup: DISPATCHER_GROUP,
        fromHead: true,
        logger,
      });
  }
  await feed?.start();
  return {
    bus,
    dispatcher,
    async stop() {
      await feed?.stop();
      await dispatcher?.stop();
      await bus.close();
    },
  };
}

import { Logger } from '@nestjs/common';
import { createEventStore, createReadStore } from '@portcullis/persistence';
import type { AppConfig } from '@portcullis/config';
import { eventStoreConfig, readStoreConfig } from '../config/store-options';
import { loadSecretBox } from './secret-box';
import { startWebhookRuntime } from './webhook-runtime';

/**
 * runDispatcherProcess runs only the webhook dispatcher (`portcullis dispatch-webhooks`): no HTTP, no
 * projections. With NATS, run as many as you like (they share the work queue); without, run exactly one
 * (each would follow the event store on its own) and turn webhooks.dispatcher.enabled off in the api.
 * It resolves once running; the returned function stops it and closes the stores.
 */
export async function runDispatcherProcess(config: AppConfig): Promise<() => Promise<void>> {
  const logger = new Logger('webhook-dispatcher');
  const events = createEventStore(eventStoreConfig(config));
  const reads = await createReadStore(readStoreConfig(config));
  const box = loadSecretBox(config.webhooks.keyPath, config.dataDir);
  const runtime = await startWebhookRuntime(config, events, reads, box, logger, { dispatch: true, publish: false });
  return async () => {
    await runtime.stop();
    await events.close();
    await reads.close();
  };
}

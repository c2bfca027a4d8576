import { Logger } from '@nestjs/common';
import { createEventStore, createReadStore } from '@portcullis/persistence';
import { eventStoreConfig, readStoreConfig, type AppConfig } from '@portcullis/config';
import { Clock } from '../platform/clock';
import { IdSource } from '../platform/ids';
import { Metrics, TimedEventStore } from '../observability/metrics';
import { startMetricsListener } from '../observability/metrics-http';
import { loadSecretBox } from './secret-box';
import { startWebhookRuntime } from './webhook-runtime';

/**
 * runDispatcherProcess runs only the webhook dispatcher (`portcullis dispatch-webhooks`): no HTTP, no
 * projections. With NATS, run as many as you like (they share the work queue); without, run exactly one
 * (each would follow the event store on its own) and turn webhooks.dispatcher.enabled off in the api.
 * With `webhooks.dispatcher.metrics_port` it serves GET /metrics there (on `host`): the delivery outcomes and
 * append latencies the api reports for its own dispatcher, and process metrics; it has no other HTTP.
 * It resolves once running; the returned function stops it and closes the stores.
 */
export async function runDispatcherProcess(config: AppConfig): Promise<() => Promise<void>> {
  const logger = new Logger('webhook-dispatcher');
  const port = config.webhooks.dispatcherMetricsPort;
  const metrics = port === null ? null : new Metrics();
  // Listening first: a port in use stops the process before it opens a store or takes work.
  const listener =
    metrics && port !== null
      ? await startMetricsListener(metrics, { host: config.host, port, token: config.metricsToken }).catch(
          (e: Error) => {
            throw new Error(`dispatcher metrics cannot listen on ${config.host}:${port}: ${e.message}`);
          },
        )
      : null;
  if (listener) logger.log(`dispatcher metrics on ${listener.url}`);
  const store = createEventStore(eventStoreConfig(config, new Logger('eventstore')));
  const events = metrics ? new TimedEventStore(store, metrics) : store;
  const reads = await createReadStore(readStoreConfig(config, new Logger('mongodb')));
  const box = loadSecretBox(config.webhooks.keyPath, config.dataDir);
  const runtime = await startWebhookRuntime(config, events, reads, box, logger, {
    dispatch: true,
    publish: false,
    onAttempt: metrics ? (outcome) => metrics.delivery(outcome) : undefined,
    // This process's one clock and id source (there is no Nest container here to inject them).
    clock: new Clock(),
    ids: new IdSource(),
  });
  return async () => {
    await runtime.stop();
    await events.close();
    await reads.close();
    await listener?.close();
  };
}

import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { loadSecretBox, SecretBox } from './secret-box';
import { WebhookRuntimeService } from './webhook-runtime.service';
import { WebhookCommandHandlers } from './webhooks.commands';
import { NamespaceWebhooksController, SystemWebhooksController } from './webhooks.controller';

/** WebhooksControllers: namespace and system-wide webhooks (registered in AppModule). */
export const WebhooksControllers = [NamespaceWebhooksController, SystemWebhooksController];

/** WebhooksProviders: the secret box, the command handlers and the in-process dispatcher. */
export const WebhooksProviders = [
  {
    provide: SecretBox,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => loadSecretBox(config.webhooks.keyPath, config.dataDir),
  },
  WebhookRuntimeService,
  ...WebhookCommandHandlers,
];

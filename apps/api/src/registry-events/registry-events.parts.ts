import { NotificationIntake } from './notification-intake';
import { NotificationSecrets } from './notification-secrets';
import { PullRecorder } from './pull-recorder';
import { RegistryClient } from './registry-client';
import { RegistryEventProcessor } from './registry-event-processor';
import { RegistryEventsController } from './registry-events.controller';
import { RegistryConfigController } from './registry-config.controller';
import { RegistryConfigService } from './registry-config';
import { CatalogSync } from './catalog-sync';
import { RepositoryWriter } from './repository-writer';
import { RegistryEventsCommandHandlers } from './registry-events.commands';

/** RegistryEventsControllers: notifications and the registry config download (registered in AppModule). */
export const RegistryEventsControllers = [RegistryEventsController, RegistryConfigController];

/** RegistryEventsProviders: what the notification endpoint, the repository API and the reconcile share. */
export const RegistryEventsProviders = [
  NotificationSecrets,
  NotificationIntake,
  RegistryClient,
  RepositoryWriter,
  PullRecorder,
  RegistryEventProcessor,
  RegistryConfigService,
  CatalogSync,
  ...RegistryEventsCommandHandlers,
];

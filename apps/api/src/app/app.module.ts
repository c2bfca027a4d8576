import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as PinoRoot } from 'pino';
import { ThrottlerModule } from '@nestjs/throttler';
import {
  EVENT_STORE,
  READ_STORE,
  createEventStore,
  createReadStore,
  type EventStore,
  type ReadStore,
} from '@portcullis/persistence';
import { allProjections, ProjectionRunner } from '@portcullis/read-models';
import { APP_CONFIG, eventStoreConfig, readStoreConfig, type AppConfig } from '@portcullis/config';
import { EventSourcing } from '../platform/event-sourcing';
import { Clock } from '../platform/clock';
import { IdSource } from '../platform/ids';
import { ReadSide } from '../platform/read-side';
import { AuthMiddleware, Authenticator } from '../identity/auth';
import { ProvisioningProviders } from '../provisioning/provisioning.parts';
import { UsersController } from '../users/users.controller';
import { UserCommandHandlers } from '../users/users.commands';
import { TeamsController } from '../teams/teams.controller';
import { TeamCommandHandlers } from '../teams/teams.commands';
import { NamespacesController } from '../namespaces/namespaces.controller';
import { NamespaceCommandHandlers } from '../namespaces/namespaces.commands';
import { RegistriesController } from '../registries/registries.controller';
import { RegistryCommandHandlers } from '../registries/registries.commands';
import { MetaController } from '../meta/meta.controller';
import { SetupController } from '../meta/setup.controller';
import { UserLookupController } from '../search/user-lookup.controller';
import { ActivitiesController } from '../activities/activities.controller';
import { RepositoriesControllers, RepositoriesProviders } from '../repositories/repositories.parts';
import { SearchController } from '../search/search.controller';
import { ExploreController } from '../explore/explore.controller';
import { RegistryEventsControllers, RegistryEventsProviders } from '../registry-events/registry-events.parts';
import { TokenController } from '../registry-auth/token.controller';
import { WebhooksControllers, WebhooksProviders } from '../webhooks/webhooks.parts';
import { RegistryAuthProviders } from '../registry-auth/registry-auth.providers';
import { LdapProviders } from '../ldap/ldap.providers';
import { SessionsControllers, SessionsProviders } from '../sessions/sessions.parts';
import { Metrics, TimedEventStore } from '../observability/metrics';
import { ProjectionLag } from '../observability/metrics-projection-lag';
import { createRootLogger } from '../observability/logging';
import { HealthProbesController } from '../meta/health-probes.controller';
import { Draining } from '../platform/graceful-shutdown';

/**
 * Lifecycle runs the projections in-process when `projector.embedded` is on (tests, single-process
 * set-ups) and closes the stores last on shutdown. `npm start` runs the projector as its own process.
 */
@Injectable()
class Lifecycle implements OnModuleInit, OnApplicationShutdown {
  private runner: ProjectionRunner | null = null;
  private readonly logger = new Logger('lifecycle');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
  ) {}

  async onModuleInit() {
    if (!this.config.embeddedProjector) return;
    this.runner = new ProjectionRunner(this.events, this.reads, allProjections);
    await this.runner.start();
    this.logger.log('projections running in-process');
  }

  async onApplicationShutdown() {
    await this.runner?.stop();
    await this.events.close();
    await this.reads.close();
  }
}

/** AppModule wires ports to adapters chosen by configuration (docs/architecture.md). */
@Module({})
export class AppModule implements NestModule {
  /** forRoot: `logger` is the root pino logger createApp made (one-shot CLI contexts get one on stderr). */
  static forRoot(config: AppConfig, options: { logger?: PinoRoot } = {}): DynamicModule {
    const logger = options.logger ?? createRootLogger(config, process.stderr);
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        // createApp's front middleware runs pino-http (ahead of the token fast path); nestjs-pino reuses it.
        LoggerModule.forRootAsync({ useFactory: () => ({ pinoHttp: { logger }, useExisting: true }) }),
        // The session login's limit: per client IP (req.ip, which honours http.trust_proxy), in memory per
        // replica; 0 turns it off. /v2/token has its own (registry-auth/token-rate-limit.ts, ADR 0017).
        ThrottlerModule.forRoot([
          {
            name: 'sessions',
            ttl: 60_000,
            limit: config.rateLimit.sessionsPerMinute,
            skipIf: () => config.rateLimit.sessionsPerMinute === 0,
          },
        ]),
      ],
      controllers: [
        MetaController,
        HealthProbesController,
        SetupController,
        // Before UsersController: its `:id` route would otherwise take `lookup`.
        UserLookupController,
        ActivitiesController,
        SearchController,
        ExploreController,
        UsersController,
        TeamsController,
        NamespacesController,
        RegistriesController,
        TokenController,
        ...RegistryEventsControllers,
        ...WebhooksControllers,
        ...SessionsControllers,
        ...RepositoriesControllers,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        Metrics,
        ProjectionLag,
        Draining,
        {
          provide: EVENT_STORE,
          inject: [Metrics],
          useFactory: (metrics: Metrics) =>
            new TimedEventStore(createEventStore(eventStoreConfig(config, new Logger('eventstore'))), metrics),
        },
        {
          provide: READ_STORE,
          useFactory: () => createReadStore(readStoreConfig(config, new Logger('mongodb'))),
        },
        Lifecycle,
        // The one clock and id source of this app (tests move time with Clock.advance).
        Clock,
        IdSource,
        EventSourcing,
        ReadSide,
        Authenticator,
        AuthMiddleware,
        ...ProvisioningProviders,
        ...UserCommandHandlers,
        ...TeamCommandHandlers,
        ...NamespaceCommandHandlers,
        ...RegistryCommandHandlers,
        ...RegistryEventsProviders,
        ...WebhooksProviders,
        ...RegistryAuthProviders,
        ...LdapProviders,
        ...SessionsProviders,
        ...RepositoriesProviders,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer) {
    consumer.apply(AuthMiddleware).forRoutes('*');
  }
}

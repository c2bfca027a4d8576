import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  notFound,
  webhookDecider,
  webhookDeliveryDecider,
  webhookDeliveryStreamId,
  webhookStreamId,
  type ActorRef,
  type TeamRole,
  type WebhookCommand,
  type WebhookConfig,
  type WebhookState,
} from '@portcullis/domain';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { EventSourcing, metadataFor } from '../platform/event-sourcing';
import type { Done } from '../platform/event-sourcing';

/** WebhookInput is a create request after the controller sealed its secrets. */
export type WebhookInput = WebhookConfig & { enabled: boolean };

/** Who is the actor and their role in the webhook namespace's team (null: system-wide or not a member). */
interface Who {
  actorRole: TeamRole | null;
  settings: AppConfig['settings'];
}

/** CreateWebhookCommand creates a namespace webhook (namespaceId) or a system-wide one (null). */
export class CreateWebhookCommand extends Command<Done> {
  constructor(
    readonly actor: ActorRef,
    readonly namespaceId: number | null,
    readonly actorRole: TeamRole | null,
    readonly input: WebhookInput,
  ) {
    super();
  }
}

/**
 * ChangeWebhookCommand runs one webhook command built from the current state (update, toggle, header
 * add/remove, delete, replay): the domain decides, this only loads, builds and appends.
 */
export class ChangeWebhookCommand extends Command<Done> {
  constructor(
    readonly actor: ActorRef,
    readonly webhookId: number,
    readonly actorRole: TeamRole | null,
    readonly build: (state: WebhookState, who: Who, es: EventSourcing) => Promise<WebhookCommand>,
  ) {
    super();
  }
}

/** RetriggerDeliveryCommand re-opens one delivery; the dispatcher sends it again. */
export class RetriggerDeliveryCommand extends Command<Done> {
  constructor(
    readonly actor: ActorRef,
    readonly deliveryId: string,
    readonly actorRole: TeamRole | null,
  ) {
    super();
  }
}

@CommandHandler(CreateWebhookCommand)
export class CreateWebhookHandler implements ICommandHandler<CreateWebhookCommand> {
  constructor(
    @Inject(EventSourcing) private readonly es: EventSourcing,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ actor, namespaceId, actorRole, input }: CreateWebhookCommand): Promise<Done> {
    const settings = this.config.settings;
    return this.es.create(webhookDecider, 'webhook', webhookStreamId, (id): WebhookCommand => ({
      type: 'CreateWebhook',
      data: { id, namespaceId, ...input, actorRole, settings },
      metadata: metadataFor(actor),
    }));
  }
}

@CommandHandler(ChangeWebhookCommand)
export class ChangeWebhookHandler implements ICommandHandler<ChangeWebhookCommand> {
  constructor(
    @Inject(EventSourcing) private readonly es: EventSourcing,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ webhookId, actorRole, build }: ChangeWebhookCommand): Promise<Done> {
    const stream = webhookStreamId(webhookId);
    const loaded = await this.es.load(webhookDecider, stream);
    if (!loaded.state.exists || loaded.state.deleted) throw notFound('WEBHOOK.NOT_FOUND', 'Webhook not found');
    const command = await build(loaded.state, { actorRole, settings: this.config.settings }, this.es);
    const out = await this.es.handle(webhookDecider, stream, command, { loaded });
    return { id: webhookId, position: out.position };
  }
}

@CommandHandler(RetriggerDeliveryCommand)
export class RetriggerDeliveryHandler implements ICommandHandler<RetriggerDeliveryCommand> {
  constructor(
    @Inject(EventSourcing) private readonly es: EventSourcing,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ actor, deliveryId, actorRole }: RetriggerDeliveryCommand): Promise<Done> {
    const out = await this.es.handle(webhookDeliveryDecider, webhookDeliveryStreamId(deliveryId), {
      type: 'RetriggerWebhookDelivery',
      data: { actorRole, settings: this.config.settings },
      metadata: metadataFor(actor),
    });
    return { id: 0, position: out.position };
  }
}

/** WebhookCommandHandlers are registered in AppModule. */
export const WebhookCommandHandlers = [CreateWebhookHandler, ChangeWebhookHandler, RetriggerDeliveryHandler];

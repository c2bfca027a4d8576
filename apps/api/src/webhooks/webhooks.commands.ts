import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  notFound,
  webhookDecider,
  webhookDeliveryDecider,
  webhookDeliveryStreamId,
  webhookStreamId,
  type ActorRef,
  type AddWebhookHeader,
  type RequestWebhookReplay,
  type TeamRole,
  type UpdateWebhook,
  type WebhookCommand,
  type WebhookConfig,
} from '@portcullis/domain';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { EventSourcing } from '../platform/event-sourcing';
import type { Done } from '../platform/event-sourcing';

/** WebhookInput is a create request after the controller sealed its secrets. */
export type WebhookInput = WebhookConfig & { enabled: boolean };

/**
 * WebhookChange is one change to an existing webhook, as data: the webhook decider's command minus what the
 * handler adds (the actor's role, the settings, a new header's id, the metadata).
 */
export type WebhookChange =
  | { type: 'UpdateWebhook'; changes: UpdateWebhook['data']['changes'] }
  | { type: 'ToggleWebhook' }
  | { type: 'DeleteWebhook' }
  | ({ type: 'AddWebhookHeader' } & Pick<AddWebhookHeader['data'], 'name' | 'value' | 'sealedValue'>)
  | { type: 'RemoveWebhookHeader'; headerId: number }
  | ({ type: 'RequestWebhookReplay' } & Pick<
      RequestWebhookReplay['data'],
      'afterPosition' | 'since' | 'throughPosition'
    >);

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
 * ChangeWebhookCommand is one change to an existing webhook (update, toggle, header add/remove, delete, replay):
 * the domain decides, the handler only loads, completes the command and appends.
 */
export class ChangeWebhookCommand extends Command<Done> {
  constructor(
    readonly actor: ActorRef,
    readonly webhookId: number,
    readonly actorRole: TeamRole | null,
    readonly change: WebhookChange,
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
      metadata: this.es.metadataFor(actor),
    }));
  }
}

@CommandHandler(ChangeWebhookCommand)
export class ChangeWebhookHandler implements ICommandHandler<ChangeWebhookCommand> {
  constructor(
    @Inject(EventSourcing) private readonly es: EventSourcing,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ actor, webhookId, actorRole, change }: ChangeWebhookCommand): Promise<Done> {
    const stream = webhookStreamId(webhookId);
    const loaded = await this.es.load(webhookDecider, stream);
    if (!loaded.state.exists || loaded.state.deleted) throw notFound('WEBHOOK.NOT_FOUND', 'Webhook not found');
    const { type, ...data } = change;
    // A header's id is taken only once the webhook is known to exist (ids are gapless per kind).
    const headerId = type === 'AddWebhookHeader' ? { headerId: await this.es.allocateId('webhook-header') } : {};
    const command = {
      type,
      data: { ...data, ...headerId, actorRole, settings: this.config.settings },
      metadata: this.es.metadataFor(actor),
    } as WebhookCommand;
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
      metadata: this.es.metadataFor(actor),
    });
    return { id: 0, position: out.position };
  }
}

/** WebhookCommandHandlers are registered in AppModule. */
export const WebhookCommandHandlers = [CreateWebhookHandler, ChangeWebhookHandler, RetriggerDeliveryHandler];

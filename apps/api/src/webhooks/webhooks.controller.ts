import {
  applyDecorators,
  Body,
  Controller,
  createParamDecorator,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  type ExecutionContext,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  CreateWebhookHeaderRequest,
  CreateWebhookRequest,
  ReplayWebhookRequest,
  DeliveryEntity,
  PageQuery,
  ReplayEntity,
  UpdateWebhookRequest,
  WebhookEntity,
} from '@portcullis/contracts';
import { z } from 'zod';
import {
  DEFAULT_WEBHOOK_EVENTS,
  canSeeWebhook,
  forbidden,
  notFound,
  type ActorRef,
  type TeamRole,
  type WebhookConfig,
} from '@portcullis/domain';
import { EVENT_STORE, type EventStore } from '@portcullis/persistence';
import { WEBHOOK_DELIVERIES, WEBHOOKS, type WebhookDeliveryDoc, type WebhookDoc } from '@portcullis/read-models';
import { ApiBodyFrom } from '../platform/api-body';
import { ApiAnswer, ApiList, ApiQueryFrom } from '../platform/openapi';
import { Actor, parseId, requireUser } from '../platform/actor';
import { Paged, parse, Reply, setPosition, settle, type Paging } from '../platform/http';
import { ReadSide } from '../platform/read-side';
import { SecretBox } from './secret-box';
import {
  ChangeWebhookCommand,
  CreateWebhookCommand,
  RetriggerDeliveryCommand,
  type WebhookChange,
} from './webhooks.commands';

/** toWebhookEntity never returns a secret, only whether one is set (Portus returned the password). */
export function toWebhookEntity(d: WebhookDoc): WebhookEntity {
  return {
    id: d.id,
    namespace_id: d.namespace_id,
    name: d.name,
    url: d.url,
    request_method: d.request_method,
    content_type: d.content_type as WebhookEntity['content_type'],
    username: d.username,
    has_password: d.password_sealed !== null,
    has_secret: d.secret_sealed !== null,
    enabled: d.enabled,
    events: d.events as WebhookEntity['events'],
    repositories: d.repositories,
    format: d.format,
    headers: d.headers.map((h) => ({ id: h.id, name: h.name })),
    created_at: d.created_at,
    updated_at: d.updated_at,
  };
}

/** toDeliveryEntity is Portus's WebhookDelivery (uuid, status, request, response) plus attempts and state. */
function toDeliveryEntity(d: WebhookDeliveryDoc): DeliveryEntity {
  const last = d.attempts[d.attempts.length - 1];
  return {
    id: d.id,
    uuid: d.id,
    webhook_id: d.webhook_id,
    state: d.state,
    status: d.status,
    event_id: d.event_id,
    event_position: String(d.event_position),
    event: d.event_kind,
    replay_id: d.replay_id,
    idempotency_key: d.idempotency_key,
    request: { ...d.request, headers: last?.request_headers ?? null },
    response: last?.response ?? null,
    attempts: d.attempts,
    next_attempt_at: d.next_attempt_at,
    dead_reason: d.dead_reason,
    created_at: d.created_at,
    updated_at: d.updated_at,
  };
}

/** WebhookScope says where one webhooks controller answers: a namespace's hooks, or the system-wide ones. */
interface WebhookScope {
  /** name is the controller's class name, which OpenAPI operation ids begin with. */
  readonly name: string;
  readonly path: string;
  /** namespaced: the path has `:namespaceId`; otherwise the hooks are system-wide (namespace_id null). */
  readonly namespaced: boolean;
  /** summaries of the routes whose permissions differ by scope. */
  readonly summaries: { list: string; create: string; update: string };
}

/** NamespaceIdParam is the path's namespace id, or null on the system-wide routes (which have none). */
const NamespaceIdParam = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): string | null =>
    ctx.switchToHttp().getRequest<Request>().params['namespaceId'] ?? null,
);

/**
 * webhooksController makes the webhooks controller of one scope; both scopes answer the same routes with
 * the same rules. `namespaceId` null means system-wide (admins only). Visibility is WebhookPolicy#show?
 * (admin or team member); changes are decided by the domain, which gets the actor's role from here.
 */
function webhooksController(where: WebhookScope) {
  @ApiTags('webhooks')
  @ApiHeader({ name: 'Portus-Auth', description: '<username>:<application token>', required: false })
  @applyDecorators(...(where.namespaced ? [ApiParam({ name: 'namespaceId', type: String })] : []))
  @Controller(where.path)
  class WebhooksController {
    constructor(
      @Inject(CommandBus) private readonly commands: CommandBus,
      @Inject(ReadSide) private readonly read: ReadSide,
      @Inject(SecretBox) private readonly box: SecretBox,
      @Inject(EVENT_STORE) private readonly events: EventStore,
    ) {}

    @Get()
    @ApiOperation({ summary: where.summaries.list })
    @ApiAnswer(200, z.array(WebhookEntity), 'The webhooks')
    async list(@Actor() actor: ActorRef | null, @NamespaceIdParam() ns: string | null) {
      const { namespaceId } = await this.scope(actor, ns);
      const docs = await this.read.store
        .collection<WebhookDoc>(WEBHOOKS)
        .find({ namespace_id: namespaceId }, { sort: [['id', 1]] });
      return docs.map(toWebhookEntity);
    }

    @Post()
    @ApiOperation({ summary: where.summaries.create })
    @ApiAnswer(201, WebhookEntity, 'The webhook created')
    @ApiBodyFrom(CreateWebhookRequest)
    async create(
      @Actor() actor: ActorRef | null,
      @NamespaceIdParam() ns: string | null,
      @Body() body: unknown,
      @Reply() res: Response,
    ) {
      const { me, namespaceId, role } = await this.scope(actor, ns);
      const { webhook: w } = parse(CreateWebhookRequest, body);
      const input = {
        name: w.name,
        url: w.url,
        method: w.request_method ?? 'POST',
        contentType: w.content_type ?? 'application/json',
        username: w.username ?? '',
        password: this.seal(w.password) ?? null,
        // NOTE: Portus created webhooks disabled by default; a hook nobody enabled was a common support question.
        enabled: w.enabled ?? true,
        events: w.events ?? [...DEFAULT_WEBHOOK_EVENTS],
        repositories: w.repositories ?? [],
        secret: this.seal(w.secret) ?? null,
        format: w.format ?? 'portus',
      } as const;
      const done = await this.commands.execute(new CreateWebhookCommand(me, namespaceId, role, input));
      return this.show(done.id, res, done.position, 201);
    }

    @Get(':id')
    @ApiOperation({ summary: 'Show a webhook with its headers (values withheld)' })
    @ApiAnswer(200, WebhookEntity, 'The webhook')
    async get(@Actor() actor: ActorRef | null, @NamespaceIdParam() ns: string | null, @Param('id') id: string) {
      const { namespaceId } = await this.scope(actor, ns);
      return toWebhookEntity(await this.hook(namespaceId, id));
    }

    @Put(':id')
    @ApiBodyFrom(UpdateWebhookRequest)
    @ApiOperation({ summary: where.summaries.update })
    @ApiAnswer(200, WebhookEntity, 'The webhook as changed')
    async update(
      @Actor() actor: ActorRef | null,
      @NamespaceIdParam() ns: string | null,
      @Param('id') rawId: string,
      @Body() body: unknown,
      @Reply() res: Response,
    ) {
      const { me, namespaceId, role } = await this.scope(actor, ns);
      const hook = await this.hook(namespaceId, rawId);
      const { webhook: w } = parse(UpdateWebhookRequest, body);
      const changes: Partial<WebhookConfig> & { enabled?: boolean } = {
        name: w.name,
        url: w.url,
        method: w.request_method,
        contentType: w.content_type,
        username: w.username,
        password: this.seal(w.password),
        enabled: w.enabled,
        events: w.events,
        repositories: w.repositories,
        secret: this.seal(w.secret),
        format: w.format,
      };
      for (const k of Object.keys(changes) as Array<keyof typeof changes>)
        if (changes[k] === undefined) delete changes[k];
      const done = await this.commands.execute(
        new ChangeWebhookCommand(me, hook.id, role, { type: 'UpdateWebhook', changes }),
      );
      return this.show(hook.id, res, done.position);
    }

    @Delete(':id')
    @HttpCode(204)
    @ApiOperation({ summary: 'Delete a webhook' })
    @ApiAnswer(204, null, 'Deleted')
    async remove(
      @Actor() actor: ActorRef | null,
      @NamespaceIdParam() ns: string | null,
      @Param('id') rawId: string,
      @Reply() res: Response,
    ) {
      const { done } = await this.change(actor, ns, rawId, { type: 'DeleteWebhook' });
      await settle(this.read, res, done.position);
    }

    @Put(':id/toggle_enabled')
    @ApiOperation({ summary: 'Enable or disable a webhook' })
    @ApiAnswer(200, WebhookEntity, 'The webhook as changed')
    async toggle(
      @Actor() actor: ActorRef | null,
      @NamespaceIdParam() ns: string | null,
      @Param('id') rawId: string,
      @Reply() res: Response,
    ) {
      const { hook, done } = await this.change(actor, ns, rawId, { type: 'ToggleWebhook' });
      return this.show(hook.id, res, done.position);
    }

    @Post(':id/headers')
    @ApiBodyFrom(CreateWebhookHeaderRequest)
    @ApiOperation({ summary: 'Add a custom header (its value is encrypted and never shown again)' })
    @ApiAnswer(201, WebhookEntity, 'The webhook with the header')
    async addHeader(
      @Actor() actor: ActorRef | null,
      @NamespaceIdParam() ns: string | null,
      @Param('id') rawId: string,
      @Body() body: unknown,
      @Reply() res: Response,
    ) {
      const { webhook_header: h } = parse(CreateWebhookHeaderRequest, body);
      const { hook, done } = await this.change(actor, ns, rawId, {
        type: 'AddWebhookHeader',
        name: h.name,
        value: h.value,
        sealedValue: this.box.seal(h.value),
      });
      return this.show(hook.id, res, done.position, 201);
    }

    @Delete(':id/headers/:headerId')
    @HttpCode(204)
    @ApiOperation({ summary: 'Remove a custom header' })
    @ApiAnswer(204, null, 'Removed')
    async removeHeader(
      @Actor() actor: ActorRef | null,
      @NamespaceIdParam() ns: string | null,
      @Param('id') rawId: string,
      @Param('headerId') rawHeader: string,
      @Reply() res: Response,
    ) {
      const headerId = parseId(rawHeader, 'header');
      const { done } = await this.change(actor, ns, rawId, { type: 'RemoveWebhookHeader', headerId });
      await settle(this.read, res, done.position);
    }

    @Get(':id/deliveries')
    @ApiOperation({ summary: 'Delivery log: request, response and every attempt' })
    @ApiList(DeliveryEntity, 'One page of deliveries, newest event first')
    @ApiQueryFrom(PageQuery)
    async deliveries(
      @Actor() actor: ActorRef | null,
      @NamespaceIdParam() ns: string | null,
      @Param('id') rawId: string,
      @Paged() paging: Paging,
    ) {
      const { namespaceId } = await this.scope(actor, ns);
      const hook = await this.hook(namespaceId, rawId);
      const page = await this.read.page<WebhookDeliveryDoc>(
        WEBHOOK_DELIVERIES,
        { webhook_id: hook.id },
        paging.request({ sortAttr: 'event_position', sortOrder: 'desc' }),
        ['event_position', 'created_at', 'updated_at'],
      );
      return paging.send(page).map(toDeliveryEntity);
    }

    @Put(':id/deliveries/:deliveryId')
    @ApiOperation({ summary: 'Retrigger one delivery' })
    @ApiAnswer(200, DeliveryEntity, 'The delivery, pending again')
    async retrigger(
      @Actor() actor: ActorRef | null,
      @NamespaceIdParam() ns: string | null,
      @Param('id') rawId: string,
      @Param('deliveryId') deliveryId: string,
      @Reply() res: Response,
    ) {
      const { me, namespaceId, role } = await this.scope(actor, ns);
      const hook = await this.hook(namespaceId, rawId);
      const col = this.read.store.collection<WebhookDeliveryDoc>(WEBHOOK_DELIVERIES);
      const found = /^[\w.-]{1,200}$/.test(deliveryId) ? await col.get(deliveryId) : null;
      if (!found || found.webhook_id !== hook.id) throw notFound('WEBHOOK_DELIVERY.NOT_FOUND', 'Delivery not found');
      const done = await this.commands.execute(new RetriggerDeliveryCommand(me, found.id, role));
      await settle(this.read, res, done.position);
      return toDeliveryEntity((await col.get(found.id)) as WebhookDeliveryDoc);
    }

    @Post(':id/replay')
    @ApiBodyFrom(ReplayWebhookRequest)
    @ApiOperation({ summary: 'Redeliver every matching event after a position or since a time' })
    @ApiAnswer(202, ReplayEntity, 'Accepted: the matching events are being scheduled')
    async replay(
      @Actor() actor: ActorRef | null,
      @NamespaceIdParam() ns: string | null,
      @Param('id') rawId: string,
      @Body() body: unknown,
      @Reply() res: Response,
    ) {
      const r = parse(ReplayWebhookRequest, body);
      const through = await this.events.headPosition();
      const { hook, done } = await this.change(actor, ns, rawId, {
        type: 'RequestWebhookReplay',
        afterPosition: r.from_position ?? null,
        since: r.from_time ? new Date(r.from_time).toISOString() : null,
        throughPosition: String(through),
      });
      setPosition(res, done.position);
      res.status(202);
      return { webhook_id: hook.id, through_position: String(through) };
    }

    /** scope resolves the namespace and the actor's role, 404 for what they may not see. */
    private async scope(actor: ActorRef | null, rawNamespaceId: string | null) {
      const me = requireUser(actor);
      if (rawNamespaceId === null) {
        if (!me.admin) throw forbidden('AUTH.FORBIDDEN', 'Authorization fails');
        return { me, namespaceId: null, role: null as TeamRole | null };
      }
      const ns = await this.read.namespace(parseId(rawNamespaceId, 'namespace'));
      if (!ns) throw notFound('NAMESPACE.NOT_FOUND', 'namespace not found');
      const role = await this.read.roleOf(ns['team_id'] as number, me.id);
      const namespaceId = ns['id'] as number;
      if (!canSeeWebhook(me, role, namespaceId)) throw forbidden('AUTH.FORBIDDEN', 'Authorization fails');
      return { me, namespaceId, role };
    }

    private async hook(namespaceId: number | null, rawId: string): Promise<WebhookDoc> {
      const doc = await this.read.store.collection<WebhookDoc>(WEBHOOKS).get(String(parseId(rawId, 'webhook')));
      if (!doc || doc.namespace_id !== namespaceId) throw notFound('WEBHOOK.NOT_FOUND', 'Webhook not found');
      return doc;
    }

    private async show(id: number, res: Response, position: bigint | null, status = 200): Promise<WebhookEntity> {
      await settle(this.read, res, position);
      const doc = await this.read.store.collection<WebhookDoc>(WEBHOOKS).get(String(id));
      if (!doc) throw notFound('WEBHOOK.NOT_FOUND', 'Webhook not found');
      res.status(status);
      return toWebhookEntity(doc);
    }

    private seal(v: string | null | undefined): string | null | undefined {
      return v === undefined || v === null || v === '' ? (v === undefined ? undefined : null) : this.box.seal(v);
    }

    private async change(actor: ActorRef | null, ns: string | null, rawId: string, change: WebhookChange) {
      const { me, namespaceId, role } = await this.scope(actor, ns);
      const hook = await this.hook(namespaceId, rawId);
      const done = await this.commands.execute(new ChangeWebhookCommand(me, hook.id, role, change));
      return { me, hook, done };
    }
  }
  Object.defineProperty(WebhooksController, 'name', { value: where.name });
  return WebhooksController;
}

/** NamespaceWebhooksController is Portus's /namespaces/:id/webhooks, under /api/v1. */
export const NamespaceWebhooksController = webhooksController({
  name: 'NamespaceWebhooksController',
  path: 'v1/namespaces/:namespaceId/webhooks',
  namespaced: true,
  summaries: {
    list: "The namespace's webhooks (admins and team members)",
    create: 'Create a webhook (owner with create_webhook, or admin)',
    update: 'Change a webhook (owner with manage_webhook, or admin)',
  },
});

/** SystemWebhooksController is /api/v1/webhooks: system-wide webhooks (every namespace), admins only. */
export const SystemWebhooksController = webhooksController({
  name: 'SystemWebhooksController',
  path: 'v1/webhooks',
  namespaced: false,
  summaries: {
    list: 'System-wide webhooks (admins)',
    create: 'Create a system-wide webhook (admins)',
    update: 'Change a system-wide webhook (admins)',
  },
});

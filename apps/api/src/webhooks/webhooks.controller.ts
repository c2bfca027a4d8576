import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  CreateWebhookHeaderRequest,
  CreateWebhookRequest,
  ReplayWebhookRequest,
  UpdateWebhookRequest,
  type WebhookEntity,
} from '@portcullis/contracts';
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
import { Inject } from '@nestjs/common';
import { ApiBodyFrom } from '../platform/api-body';
import { Actor, parseId, requireUser } from '../platform/actor';
import { pageRequest, parse, setPageHeaders, setPosition, settle } from '../platform/http';
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
    content_type: d.content_type,
    username: d.username,
    has_password: d.password_sealed !== null,
    has_secret: d.secret_sealed !== null,
    enabled: d.enabled,
    events: d.events,
    repositories: d.repositories,
    format: d.format,
    headers: d.headers.map((h) => ({ id: h.id, name: h.name })),
    created_at: d.created_at,
    updated_at: d.updated_at,
  };
}

/** toDeliveryEntity is Portus's WebhookDelivery (uuid, status, request, response) plus attempts and state. */
function toDeliveryEntity(d: WebhookDeliveryDoc) {
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

/**
 * WebhooksApi is shared by the namespace and the system-wide controllers: `namespaceId` null means
 * system-wide (admins only). Visibility is WebhookPolicy#show? (admin or team member); changes are decided
 * by the domain, which gets the actor's role from here.
 */
abstract class WebhooksApi {
  constructor(
    protected readonly commands: CommandBus,
    protected readonly read: ReadSide,
    protected readonly box: SecretBox,
    protected readonly events: EventStore,
  ) {}

  /** scope resolves the namespace and the actor's role, 404 for what they may not see. */
  protected async scope(actor: ActorRef | null, rawNamespaceId: string | null) {
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

  protected async hook(namespaceId: number | null, rawId: string): Promise<WebhookDoc> {
    const doc = await this.read.store.collection<WebhookDoc>(WEBHOOKS).get(String(parseId(rawId, 'webhook')));
    if (!doc || doc.namespace_id !== namespaceId) throw notFound('WEBHOOK.NOT_FOUND', 'Webhook not found');
    return doc;
  }

  protected async show(id: number, res: Response, position: bigint | null, status = 200) {
    await settle(this.read, res, position);
    const doc = await this.read.store.collection<WebhookDoc>(WEBHOOKS).get(String(id));
    if (!doc) throw notFound('WEBHOOK.NOT_FOUND', 'Webhook not found');
    res.status(status);
    return toWebhookEntity(doc);
  }

  private seal(v: string | null | undefined): string | null | undefined {
    return v === undefined || v === null || v === '' ? (v === undefined ? undefined : null) : this.box.seal(v);
  }

  protected async doList(actor: ActorRef | null, ns: string | null) {
    const { namespaceId } = await this.scope(actor, ns);
    const docs = await this.read.store
      .collection<WebhookDoc>(WEBHOOKS)
      .find({ namespace_id: namespaceId }, { sort: [['id', 1]] });
    return docs.map(toWebhookEntity);
  }

  protected async doCreate(actor: ActorRef | null, ns: string | null, body: unknown, res: Response) {
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

  protected async doUpdate(actor: ActorRef | null, ns: string | null, rawId: string, body: unknown, res: Response) {
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

  protected async change(actor: ActorRef | null, ns: string | null, rawId: string, change: WebhookChange) {
    const { me, namespaceId, role } = await this.scope(actor, ns);
    const hook = await this.hook(namespaceId, rawId);
    const done = await this.commands.execute(new ChangeWebhookCommand(me, hook.id, role, change));
    return { me, hook, done };
  }

  protected async doToggle(actor: ActorRef | null, ns: string | null, rawId: string, res: Response) {
    const { hook, done } = await this.change(actor, ns, rawId, { type: 'ToggleWebhook' });
    return this.show(hook.id, res, done.position);
  }

  protected async doDelete(actor: ActorRef | null, ns: string | null, rawId: string, res: Response) {
    const { done } = await this.change(actor, ns, rawId, { type: 'DeleteWebhook' });
    await settle(this.read, res, done.position);
  }

  protected async doAddHeader(actor: ActorRef | null, ns: string | null, rawId: string, body: unknown, res: Response) {
    const { webhook_header: h } = parse(CreateWebhookHeaderRequest, body);
    const { hook, done } = await this.change(actor, ns, rawId, {
      type: 'AddWebhookHeader',
      name: h.name,
      value: h.value,
      sealedValue: this.box.seal(h.value),
    });
    return this.show(hook.id, res, done.position, 201);
  }

  protected async doRemoveHeader(
    actor: ActorRef | null,
    ns: string | null,
    rawId: string,
    rawHeader: string,
    res: Response,
  ) {
    const headerId = parseId(rawHeader, 'header');
    const { done } = await this.change(actor, ns, rawId, { type: 'RemoveWebhookHeader', headerId });
    await settle(this.read, res, done.position);
  }

  protected async doDeliveries(
    actor: ActorRef | null,
    ns: string | null,
    rawId: string,
    query: unknown,
    req: Request,
    res: Response,
  ) {
    const { namespaceId } = await this.scope(actor, ns);
    const hook = await this.hook(namespaceId, rawId);
    const pr = pageRequest(query);
    const page = await this.read.page<WebhookDeliveryDoc>(
      WEBHOOK_DELIVERIES,
      { webhook_id: hook.id },
      { ...pr, sortAttr: pr.sortAttr ?? 'event_position', sortOrder: pr.sortOrder ?? 'desc' },
      ['event_position', 'created_at', 'updated_at'],
    );
    setPageHeaders(req, res, page);
    return page.items.map(toDeliveryEntity);
  }

  protected async doRetrigger(
    actor: ActorRef | null,
    ns: string | null,
    rawId: string,
    deliveryId: string,
    res: Response,
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

  protected async doReplay(actor: ActorRef | null, ns: string | null, rawId: string, body: unknown, res: Response) {
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
}

/** NamespaceWebhooksController is Portus's /namespaces/:id/webhooks, under /api/v1. */
@ApiTags('webhooks')
@ApiHeader({ name: 'Portus-Auth', description: '<username>:<application token>', required: false })
@Controller('v1/namespaces/:namespaceId/webhooks')
export class NamespaceWebhooksController extends WebhooksApi {
  constructor(
    @Inject(CommandBus) commands: CommandBus,
    @Inject(ReadSide) read: ReadSide,
    @Inject(SecretBox) box: SecretBox,
    @Inject(EVENT_STORE) events: EventStore,
  ) {
    super(commands, read, box, events);
  }

  @Get()
  @ApiOperation({ summary: "The namespace's webhooks (admins and team members)" })
  list(@Actor() a: ActorRef | null, @Param('namespaceId') ns: string) {
    return this.doList(a, ns);
  }
  @Post()
  @ApiOperation({ summary: 'Create a webhook (owner with create_webhook, or admin)' })
  @ApiBodyFrom(CreateWebhookRequest)
  create(
    @Actor() a: ActorRef | null,
    @Param('namespaceId') ns: string,
    @Body() b: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.doCreate(a, ns, b, res);
  }
  @Get(':id')
  @ApiOperation({ summary: 'Show a webhook with its headers (values withheld)' })
  async get(@Actor() a: ActorRef | null, @Param('namespaceId') ns: string, @Param('id') id: string) {
    const { namespaceId } = await this.scope(a, ns);
    return toWebhookEntity(await this.hook(namespaceId, id));
  }
  @Put(':id')
  @ApiBodyFrom(UpdateWebhookRequest)
  @ApiOperation({ summary: 'Change a webhook (owner with manage_webhook, or admin)' })
  update(
    @Actor() a: ActorRef | null,
    @Param('namespaceId') ns: string,
    @Param('id') id: string,
    @Body() b: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.doUpdate(a, ns, id, b, res);
  }
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook' })
  remove(
    @Actor() a: ActorRef | null,
    @Param('namespaceId') ns: string,
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.doDelete(a, ns, id, res);
  }
  @Put(':id/toggle_enabled')
  @ApiOperation({ summary: 'Enable or disable a webhook' })
  toggle(
    @Actor() a: ActorRef | null,
    @Param('namespaceId') ns: string,
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.doToggle(a, ns, id, res);
  }
  @Post(':id/headers')
  @ApiBodyFrom(CreateWebhookHeaderRequest)
  @ApiOperation({ summary: 'Add a custom header (its value is encrypted and never shown again)' })
  addHeader(
    @Actor() a: ActorRef | null,
    @Param('namespaceId') ns: string,
    @Param('id') id: string,
    @Body() b: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.doAddHeader(a, ns, id, b, res);
  }
  @Delete(':id/headers/:headerId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a custom header' })
  removeHeader(
    @Actor() a: ActorRef | null,
    @Param('namespaceId') ns: string,
    @Param('id') id: string,
    @Param('headerId') h: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.doRemoveHeader(a, ns, id, h, res);
  }
  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Delivery log: request, response and every attempt' })
  deliveries(
    @Actor() a: ActorRef | null,
    @Param('namespaceId') ns: string,
    @Param('id') id: string,
    @Query() q: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.doDeliveries(a, ns, id, q, req, res);
  }
  @Put(':id/deliveries/:deliveryId')
  @ApiOperation({ summary: 'Retrigger one delivery' })
  retrigger(
    @Actor() a: ActorRef | null,
    @Param('namespaceId') ns: string,
    @Param('id') id: string,
    @Param('deliveryId') d: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.doRetrigger(a, ns, id, d, res);
  }
  @Post(':id/replay')
  @ApiBodyFrom(ReplayWebhookRequest)
  @ApiOperation({ summary: 'Redeliver every matching event after a position or since a time' })
  replay(
    @Actor() a: ActorRef | null,
    @Param('namespaceId') ns: string,
    @Param('id') id: string,
    @Body() b: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.doReplay(a, ns, id, b, res);
  }
}

/** SystemWebhooksController is /api/v1/webhooks: system-wide webhooks (every namespace), admins only. */
@ApiTags('webhooks')
@ApiHeader({ name: 'Portus-Auth', description: '<username>:<application token>', required: false })
@Controller('v1/webhooks')
export class SystemWebhooksController extends WebhooksApi {
  constructor(
    @Inject(CommandBus) commands: CommandBus,
    @Inject(ReadSide) read: ReadSide,
    @Inject(SecretBox) box: SecretBox,
    @Inject(EVENT_STORE) events: EventStore,
  ) {
    super(commands, read, box, events);
  }

  @Get()
  @ApiOperation({ summary: 'System-wide webhooks (admins)' })
  list(@Actor() a: ActorRef | null) {
    return this.doList(a, null);
  }
  @Post()
  @ApiBodyFrom(CreateWebhookRequest)
  @ApiOperation({ summary: 'Create a system-wide webhook (admins)' })
  create(@Actor() a: ActorRef | null, @Body() b: unknown, @Res({ passthrough: true }) res: Response) {
    return this.doCreate(a, null, b, res);
  }
  @Get(':id')
  async get(@Actor() a: ActorRef | null, @Param('id') id: string) {
    await this.scope(a, null);
    return toWebhookEntity(await this.hook(null, id));
  }
  @Put(':id')
  @ApiBodyFrom(UpdateWebhookRequest)
  update(
    @Actor() a: ActorRef | null,
    @Param('id') id: string,
    @Body() b: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.doUpdate(a, null, id, b, res);
  }
  @Delete(':id')
  @HttpCode(204)
  remove(@Actor() a: ActorRef | null, @Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    return this.doDelete(a, null, id, res);
  }
  @Put(':id/toggle_enabled')
  toggle(@Actor() a: ActorRef | null, @Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    return this.doToggle(a, null, id, res);
  }
  @Post(':id/headers')
  @ApiBodyFrom(CreateWebhookHeaderRequest)
  addHeader(
    @Actor() a: ActorRef | null,
    @Param('id') id: string,
    @Body() b: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.doAddHeader(a, null, id, b, res);
  }
  @Delete(':id/headers/:headerId')
  @HttpCode(204)
  removeHeader(
    @Actor() a: ActorRef | null,
    @Param('id') id: string,
    @Param('headerId') h: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.doRemoveHeader(a, null, id, h, res);
  }
  @Get(':id/deliveries')
  deliveries(
    @Actor() a: ActorRef | null,
    @Param('id') id: string,
    @Query() q: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.doDeliveries(a, null, id, q, req, res);
  }
  @Put(':id/deliveries/:deliveryId')
  retrigger(
    @Actor() a: ActorRef | null,
    @Param('id') id: string,
    @Param('deliveryId') d: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.doRetrigger(a, null, id, d, res);
  }
  @Post(':id/replay')
  @ApiBodyFrom(ReplayWebhookRequest)
  replay(
    @Actor() a: ActorRef | null,
    @Param('id') id: string,
    @Body() b: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.doReplay(a, null, id, b, res);
  }
}

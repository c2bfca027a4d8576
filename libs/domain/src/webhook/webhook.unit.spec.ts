import { DeciderSpecification } from '../shared/decider-specification';
import type { ActorRef, CommandMetadata } from '../shared/message';
import type { Settings } from '../settings/settings';
import { defaultSettings } from '../settings/settings';
import type { WebhookCreated, WebhookEvent } from './webhook.events';
import type { CreateWebhook, WebhookCommand } from './webhook.decide';
import { webhookDecider } from './webhook.decide';

const spec = DeciderSpecification.for(webhookDecider);
const now = '2030-05-01T10:00:00.000Z';
const admin: ActorRef = { id: 1, username: 'root', admin: true };
const alice: ActorRef = { id: 2, username: 'alice', admin: false };
const meta = (actor: ActorRef | null): CommandMetadata => ({ now, actor });
const cmd = <C extends WebhookCommand>(type: C['type'], data: C['data'], actor: ActorRef | null = alice) =>
  ({ type, data, metadata: meta(actor) }) as C;
const settings = (userPermission: Partial<Settings['userPermission']> = {}): Settings => ({
  ...defaultSettings,
  userPermission: { ...defaultSettings.userPermission, ...userPermission },
});
const owner = { actorRole: 'owner' as const, settings: settings() };

const config = {
  name: 'ci',
  url: 'https://ci.example.com/hook',
  method: 'POST' as const,
  contentType: 'application/json' as const,
  username: '',
  password: null,
  events: ['push' as const, 'delete' as const],
  repositories: [],
  secret: null,
  format: 'portus' as const,
};
const created = (extra: Partial<WebhookCreated['data']> = {}): WebhookCreated => ({
  type: 'WebhookCreated',
  data: { id: 9, namespaceId: 3, ...config, enabled: true, at: now, ...extra },
});

describe('When no webhook exists', () => {
  const create = (extra: Partial<CreateWebhook['data']> = {}, actor: ActorRef | null = alice) =>
    cmd<CreateWebhook>('CreateWebhook', { id: 9, namespaceId: 3, ...config, enabled: true, ...owner, ...extra }, actor);

  it('lets the namespace owner create one', () => {
    spec([]).when(create()).then([created()]);
  });
  it('refuses a contributor (Portus: owner or admin)', () => {
    spec([])
      .when(create({ actorRole: 'contributor' }))
      .thenThrows('WEBHOOK.FORBIDDEN');
  });
  it('refuses an owner when user_permission.create_webhook is off', () => {
    spec([])
      .when(create({ settings: settings({ createWebhook: false }) }))
      .thenThrows('WEBHOOK.FORBIDDEN');
  });
  it('lets an admin create one whatever the setting', () => {
    spec([])
      .when(create({ actorRole: null, settings: settings({ createWebhook: false }) }, admin))
      .then([created()]);
  });
  it('lets only admins create system-wide webhooks', () => {
    spec([])
      .when(create({ namespaceId: null }))
      .thenThrows('WEBHOOK.FORBIDDEN');
    spec([])
      .when(create({ namespaceId: null, actorRole: null }, admin))
      .then([created({ namespaceId: null })]);
  });
  it('adds http:// to a URL without a scheme, as Portus did', () => {
    spec([])
      .when(create({ url: 'ci.example.com/hook' }))
      .then([created({ url: 'http://ci.example.com/hook' })]);
  });
  it.each([
    ['ftp://ci.example.com/', 'WEBHOOK.INVALID_URL'],
    ['http://user:pw@ci.example.com/', 'WEBHOOK.INVALID_URL'],
    ['', 'WEBHOOK.INVALID_URL'],
  ])('refuses url %j', (url, code) => {
    spec([]).when(create({ url })).thenThrows(code);
  });
  it('refuses a blank name, unknown events and regex-ish globs', () => {
    spec([])
      .when(create({ name: '  ' }))
      .thenThrows('WEBHOOK.INVALID_NAME');
    spec([])
      .when(create({ events: [] }))
      .thenThrows('WEBHOOK.INVALID_EVENTS');
    spec([])
      .when(create({ repositories: ['(a|b)'] }))
      .thenThrows('WEBHOOK.INVALID_REPOSITORIES');
  });
  it('orders event kinds canonically', () => {
    spec([])
      .when(create({ events: ['delete', 'push'] }))
      .then([created()]);
  });
});

describe('When a webhook exists', () => {
  const given = [created()];

  it('records only the fields that change', () => {
    spec(given)
      .when(cmd('UpdateWebhook', { changes: { name: 'ci', url: 'https://other.example.com/' }, ...owner }))
      .then([
        {
          type: 'WebhookUpdated',
          data: { id: 9, namespaceId: 3, changes: { url: 'https://other.example.com/' }, at: now },
        },
      ]);
  });
  it('turns enabled in an update into WebhookDisabled', () => {
    spec(given)
      .when(cmd('UpdateWebhook', { changes: { enabled: false }, ...owner }))
      .then([{ type: 'WebhookDisabled', data: { id: 9, namespaceId: 3, at: now } }]);
  });
  it('toggles, and refuses owners when manage_webhook is off', () => {
    spec(given)
      .when(cmd('ToggleWebhook', owner))
      .then([{ type: 'WebhookDisabled', data: { id: 9, namespaceId: 3, at: now } }]);
    spec([...given, { type: 'WebhookDisabled', data: { id: 9, namespaceId: 3, at: now } }] as WebhookEvent[])
      .when(cmd('ToggleWebhook', owner))
      .then([{ type: 'WebhookEnabled', data: { id: 9, namespaceId: 3, at: now } }]);
    spec(given)
      .when(cmd('ToggleWebhook', { actorRole: 'owner', settings: settings({ manageWebhook: false }) }))
      .thenThrows('WEBHOOK.FORBIDDEN');
  });
  it('adds a header with its sealed value only, and refuses a duplicate name', () => {
    const add = cmd('AddWebhookHeader', {
      headerId: 4,
      name: 'X-Token',
      value: 'clear',
      sealedValue: 'v1:x',
      ...owner,
    });
    const added: WebhookEvent = {
      type: 'WebhookHeaderAdded',
      data: { id: 9, namespaceId: 3, headerId: 4, name: 'X-Token', value: 'v1:x', at: now },
    };
    spec(given).when(add).then([added]);
    spec([...given, added])
      .when(cmd('AddWebhookHeader', { headerId: 5, name: 'x-token', value: 'b', sealedValue: 'v1:y', ...owner }))
      .thenThrows('WEBHOOK.HEADER_EXISTS');
  });
  it.each(['Host', 'Content-Length', 'Idempotency-Key', 'Portcullis-Signature-256', 'bad header'])(
    'refuses the header name %j',
    (name) => {
      spec(given)
        .when(cmd('AddWebhookHeader', { headerId: 5, name, value: 'v', sealedValue: 's', ...owner }))
        .thenThrows('WEBHOOK.INVALID_HEADER');
    },
  );
  it('refuses a header value with a line break (header injection)', () => {
    spec(given)
      .when(cmd('AddWebhookHeader', { headerId: 5, name: 'X-A', value: 'a\r\nHost: evil', sealedValue: 's', ...owner }))
      .thenThrows('WEBHOOK.INVALID_HEADER');
  });
  it('deletes with the names the activity keeps', () => {
    spec(given)
      .when(cmd('DeleteWebhook', owner))
      .then([
        {
          type: 'WebhookDeleted',
          data: { id: 9, namespaceId: 3, name: 'ci', url: 'https://ci.example.com/hook', at: now },
        },
      ]);
  });
  it('numbers replays and needs exactly one starting point', () => {
    const replay = (afterPosition: string | null, since: string | null) =>
      cmd('RequestWebhookReplay', { afterPosition, since, throughPosition: '40', ...owner });
    spec(given)
      .when(replay('12', null))
      .then([
        {
          type: 'WebhookReplayRequested',
          data: {
            id: 9,
            namespaceId: 3,
            replayId: 1,
            afterPosition: '12',
            since: null,
            throughPosition: '40',
            at: now,
          },
        },
      ]);
    spec(given).when(replay(null, null)).thenThrows('WEBHOOK.INVALID_REPLAY');
    spec(given).when(replay('1', now)).thenThrows('WEBHOOK.INVALID_REPLAY');
    spec(given)
      .when(
        cmd('RequestWebhookReplay', {
          afterPosition: '1',
          since: null,
          throughPosition: '2',
          actorRole: 'viewer',
          settings: settings(),
        }),
      )
      .thenThrows('WEBHOOK.FORBIDDEN');
  });
});

describe('When a webhook was deleted', () => {
  const given: WebhookEvent[] = [
    created(),
    { type: 'WebhookDeleted', data: { id: 9, namespaceId: 3, name: 'ci', url: 'x', at: now } },
  ];
  it('refuses every change', () => {
    spec(given).when(cmd('ToggleWebhook', owner)).thenThrows('WEBHOOK.NOT_FOUND');
    spec(given).when(cmd('DeleteWebhook', owner)).thenThrows('WEBHOOK.NOT_FOUND');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore, type EventStore } from '@portcullis/persistence';
import { defaultSettings, webhookStreamId, type DomainError } from '@portcullis/domain';
import type { AppConfig } from '@portcullis/config';
import { Clock } from '../platform/clock';
import { EventSourcing } from '../platform/event-sourcing';
import { IdSource } from '../platform/ids';
import {
  ChangeWebhookCommand,
  ChangeWebhookHandler,
  CreateWebhookCommand,
  CreateWebhookHandler,
  type WebhookChange,
} from './webhooks.commands';

describe('ChangeWebhookCommand (data, completed by its handler)', () => {
  const admin = { id: 1, username: 'admin', admin: true };
  const config = { settings: defaultSettings } as AppConfig;
  let dir: string;
  let store: EventStore;
  let es: EventSourcing;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-webhook-commands-'));
    store = createEventStore({ dataDir: dir });
    es = new EventSourcing(store, new Clock(), new IdSource());
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const changes: WebhookChange[] = [
    { type: 'UpdateWebhook', changes: { name: 'renamed' } },
    { type: 'ToggleWebhook' },
    { type: 'AddWebhookHeader', name: 'X-Team', value: 'qa', sealedValue: 'sealed:qa' },
    { type: 'RemoveWebhookHeader', headerId: 1 },
    { type: 'RequestWebhookReplay', afterPosition: null, since: null, throughPosition: '10' },
    { type: 'DeleteWebhook' },
  ];

  it.each(changes.map((c) => [c.type, c] as const))('%s survives structuredClone (no function inside)', (_t, c) => {
    const command = new ChangeWebhookCommand(admin, 1, null, c);
    expect(structuredClone({ ...command })).toEqual({ ...command });
  });

  it('the handler adds the role, the settings, the metadata and, for a header, a header id taken after the 404 check', async () => {
    const create = new CreateWebhookHandler(es, config);
    const change = new ChangeWebhookHandler(es, config);
    const { id } = await create.execute(
      new CreateWebhookCommand(admin, null, null, {
        name: 'ci',
        url: 'http://127.0.0.1:9/hook',
        method: 'POST',
        contentType: 'application/json',
        username: '',
        password: null,
        enabled: true,
        events: ['push'],
        repositories: [],
        secret: null,
        format: 'portus',
      }),
    );
    const header: WebhookChange = { type: 'AddWebhookHeader', name: 'X-Team', value: 'qa', sealedValue: 'sealed:qa' };
    const missing = await change.execute(new ChangeWebhookCommand(admin, id + 1, null, header)).catch((e) => e);
    expect((missing as DomainError).code).toBe('WEBHOOK.NOT_FOUND');
    await change.execute(new ChangeWebhookCommand(admin, id, null, header));
    await change.execute(new ChangeWebhookCommand(admin, id, null, { ...header, name: 'X-Other' }));
    const events = await store.readStream(webhookStreamId(id));
    const added = events.filter((e) => e.type === 'WebhookHeaderAdded').map((e) => e.data);
    // Gapless: the refused change on an unknown webhook took no header id.
    expect(added).toMatchObject([
      { headerId: 1, name: 'X-Team', value: 'sealed:qa' },
      { headerId: 2, name: 'X-Other', value: 'sealed:qa' },
    ]);
    expect(events[events.length - 1].metadata).toMatchObject({ actor: { id: 1, username: 'admin' } });
  });
});

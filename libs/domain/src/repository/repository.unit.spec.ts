import { DeciderSpecification } from '../shared/decider-specification';
import type { ActorRef, CommandMetadata } from '../shared/message';
import { defaultSettings } from '../settings/settings';
import type { ImagePushed, ManifestFacts, RepositoryCreated, RepositoryEvent } from './repository.events';
import type { NewRepository, RepositoryCommand } from './repository.decide';
import { repositoryDecider, SYSTEM_ACTOR } from './repository.decide';
import { repositoryStreamId } from './repository';

const spec = DeciderSpecification.for(repositoryDecider);
const now = '2024-05-01T10:00:00.000Z';
const later = '2024-05-01T11:00:00.000Z';
const admin: ActorRef = { id: 1, username: 'root', admin: true };
const alice: ActorRef = { id: 2, username: 'alice', admin: false };
const meta = (actor: ActorRef | null = null, at = now): CommandMetadata => ({ now: at, actor });
const cmd = <C extends RepositoryCommand>(type: C['type'], data: C['data'], m = meta()) =>
  ({ type, data, metadata: m }) as C;

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const repo: NewRepository = {
  id: 9,
  registryId: 1,
  fullName: 'ns/app',
  name: 'app',
  namespaceId: 4,
  namespaceName: 'ns',
};
const manifest = (digest = D1): ManifestFacts => ({
  digest,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  size: 66494,
  platforms: null,
  imageId: 'e'.repeat(64),
});
const aliceInRegistry = { userId: 2, username: 'alice' };

const created: RepositoryCreated = {
  type: 'RepositoryCreated',
  data: { id: 9, registryId: 1, fullName: 'ns/app', name: 'app', namespaceId: 4, namespaceName: 'ns', at: now },
};
const pushed = (tag: string, tagId: number, digest = D1, eventId = `ev-${tag}`, previousDigest: string | null = null) =>
  ({
    type: 'ImagePushed',
    data: {
      repositoryId: 9,
      fullName: 'ns/app',
      namespaceId: 4,
      tagId,
      tag,
      ...manifest(digest),
      previousDigest,
      actor: aliceInRegistry,
      registryEventId: eventId,
      at: now,
    },
  }) as ImagePushed;
const push = (tag: string, newTagId: number, digest = D1, eventId = `ev-${tag}`, actor = aliceInRegistry) =>
  cmd('RecordPush', { repository: repo, newTagId, tag, manifest: manifest(digest), actor, registryEventId: eventId });

describe('repository stream ids', () => {
  it('are per registry and full name', () => expect(repositoryStreamId(1, 'a/b/c')).toBe('repository-1-a/b/c'));
});

describe('When a repository does not exist', () => {
  it('creates it on the first push and records the image', () => {
    spec([])
      .when(push('v1', 20))
      .then([created, pushed('v1', 20)]);
  });
  it('records pushes by users and into namespaces Portcullis does not know', () => {
    const unknown = { ...repo, namespaceId: null, namespaceName: 'ghost', fullName: 'ghost/app' };
    const events = repositoryDecider.decide(
      cmd('RecordPush', {
        repository: unknown,
        newTagId: 20,
        tag: 'v1',
        manifest: manifest(),
        actor: { userId: null, username: 'stranger' },
        registryEventId: 'e',
      }),
      repositoryDecider.initialState(),
    );
    expect(events.map((e) => e.type)).toEqual(['RepositoryCreated', 'ImagePushed']);
    expect(events[1].data).toMatchObject({ namespaceId: null, actor: { userId: null, username: 'stranger' } });
  });
  it('ignores deletes and pulls', () => {
    spec([])
      .when(cmd('DeleteManifest', { digest: D1, by: aliceInRegistry, registryEventId: 'd' }))
      .then([]);
    spec([])
      .when(cmd('RecordPull', { tag: 'v1', pulledAt: now }))
      .then([]);
  });
  it('answers not-found to a description change', () => {
    spec([])
      .when(
        cmd(
          'ChangeRepositoryDescription',
          { description: 'x', actorRole: null, settings: defaultSettings },
          meta(admin),
        ),
      )
      .thenThrows('REPOSITORY.NOT_FOUND');
  });
});

describe('When a repository has tags', () => {
  const given: RepositoryEvent[] = [
    created,
    pushed('v1', 20),
    pushed('latest', 21, D1, 'ev-latest'),
    pushed('v2', 22, D2),
  ];

  it('adds a new tag with the allocated id', () => {
    spec([created, pushed('v1', 20)])
      .when(push('v3', 30, D2))
      .then([pushed('v3', 30, D2)]);
  });
  it('moves an existing tag, keeping its id and naming the previous digest', () => {
    spec(given)
      .when(push('v1', 99, D2, 'ev-move'))
      .then([pushed('v1', 20, D2, 'ev-move', D1)]);
  });
  it('ignores the same registry event delivered again', () => {
    spec(given)
      .when(push('v1', 99, D1, 'ev-v1'))
      .then([]);
  });
  it('records a new push of the same digest (who pushed is the audit trail)', () => {
    spec(given)
      .when(push('v1', 99, D1, 'ev-again'))
      .then([pushed('v1', 20, D1, 'ev-again', D1)]);
  });
  it('deletes every tag with a deleted digest, keeping the repository while tags remain', () => {
    const by = aliceInRegistry;
    const events = repositoryDecider.decide(
      cmd('DeleteManifest', { digest: D1, by, registryEventId: 'del' }),
      given.reduce(repositoryDecider.evolve, repositoryDecider.initialState()),
    );
    expect(events.map((e) => [e.type, e.data['tag' as keyof typeof e.data]])).toEqual([
      ['TagDeleted', 'latest'],
      ['TagDeleted', 'v1'],
    ]);
    expect(events[0].data).toMatchObject({ tagId: 21, digest: D1, by, registryEventId: 'del' });
  });
  it('removes the repository with its last tag', () => {
    spec([created, pushed('v1', 20)])
      .when(cmd('DeleteManifest', { digest: D1, by: aliceInRegistry, registryEventId: 'del' }))
      .then([
        {
          type: 'TagDeleted',
          data: {
            repositoryId: 9,
            fullName: 'ns/app',
            namespaceId: 4,
            tagId: 20,
            tag: 'v1',
            digest: D1,
            by: aliceInRegistry,
            registryEventId: 'del',
            at: now,
          },
        },
        {
          type: 'RepositoryDeleted',
          data: { id: 9, registryId: 1, fullName: 'ns/app', namespaceId: 4, by: aliceInRegistry, at: now },
        },
      ]);
  });
  it('treats the second event of a registry delete (tag only) as done once the digest is gone', () => {
    const afterDigestDelete = [
      ...given,
      ...repositoryDecider.decide(
        cmd('DeleteManifest', { digest: D1, by: aliceInRegistry, registryEventId: 'd1' }),
        given.reduce(repositoryDecider.evolve, repositoryDecider.initialState()),
      ),
    ];
    spec(afterDigestDelete)
      .when(cmd('DeleteTag', { tag: 'v1', by: aliceInRegistry, registryEventId: 'd2' }))
      .then([]);
  });
  it('deletes a single tag on a tag-only delete', () => {
    const events = repositoryDecider.decide(
      cmd('DeleteTag', { tag: 'v2', by: aliceInRegistry, registryEventId: 't' }),
      given.reduce(repositoryDecider.evolve, repositoryDecider.initialState()),
    );
    expect(events.map((e) => e.type)).toEqual(['TagDeleted']);
  });
  it('starts a new repository (new id) when pushed again after deletion', () => {
    const gone = [
      created,
      pushed('v1', 20),
      ...repositoryDecider.decide(
        cmd('DeleteManifest', { digest: D1, by: aliceInRegistry, registryEventId: 'd' }),
        [created, pushed('v1', 20)].reduce(repositoryDecider.evolve, repositoryDecider.initialState()),
      ),
    ];
    const events = repositoryDecider.decide(
      cmd('RecordPush', {
        repository: { ...repo, id: 10 },
        newTagId: 40,
        tag: 'v1',
        manifest: manifest(),
        actor: aliceInRegistry,
        registryEventId: 'again',
      }),
      gone.reduce(repositoryDecider.evolve, repositoryDecider.initialState()),
    );
    expect(
      events.map((e) => [e.type, e.data['id' as keyof typeof e.data] ?? e.data['tagId' as keyof typeof e.data]]),
    ).toEqual([
      ['RepositoryCreated', 10],
      ['ImagePushed', 40],
    ]);
  });
});

describe('When a registry delivers an event again (dedupe on the repository stream, ADR 0016)', () => {
  const deleteDigest = (digest: string, id: string) =>
    cmd('DeleteManifest', { digest, by: aliceInRegistry, registryEventId: id });
  const state = (events: RepositoryEvent[]) =>
    events.reduce(repositoryDecider.evolve, repositoryDecider.initialState());
  const removed = (digest: string, id: string, before: RepositoryEvent[]) =>
    repositoryDecider.decide(deleteDigest(digest, id), state(before));
  const history = [created, pushed('v1', 20, D1, 'p1'), pushed('v1', 20, D2, 'p2', D1)];
  const deletedRepo = [
    created,
    pushed('v1', 20, D1, 'p1'),
    ...removed(D1, 'd1', [created, pushed('v1', 20, D1, 'p1')]),
  ];
  // Each row: what the stream holds, the redelivered command, and why nothing may change.
  const rows: Array<[string, RepositoryEvent[], RepositoryCommand]> = [
    ['a push redelivered after a later push moved its tag (would move it back)', history, push('v1', 99, D1, 'p1')],
    ['a push redelivered onto another tag name', history, push('v9', 99, D1, 'p2')],
    [
      'a push redelivered after its repository was deleted (would bring it back)',
      deletedRepo,
      push('v1', 99, D1, 'p1'),
    ],
    [
      'a digest delete redelivered after the digest was pushed again (would delete the new push)',
      [...deletedRepo, { ...created, data: { ...created.data, id: 10 } }, pushed('v1', 40, D1, 'p3')],
      deleteDigest(D1, 'd1'),
    ],
    [
      'a tag delete redelivered after the tag was pushed again',
      (() => {
        const before: RepositoryEvent[] = [created, pushed('v1', 20, D1, 'p1'), pushed('v2', 21, D2, 'p2')];
        const tagDelete = cmd('DeleteTag', { tag: 'v1', by: aliceInRegistry, registryEventId: 't1' });
        return [...before, ...repositoryDecider.decide(tagDelete, state(before)), pushed('v1', 22, D1, 'p3')];
      })(),
      cmd('DeleteTag', { tag: 'v1', by: aliceInRegistry, registryEventId: 't1' }),
    ],
  ];
  it.each(rows)('changes nothing for %s', (_why, given, command) => {
    spec(given).when(command).then([]);
  });

  it('remembers the last 64 event ids, not every push ever made', () => {
    const many = [created, ...Array.from({ length: 70 }, (_, i) => pushed('v1', 20, i % 2 ? D2 : D1, `e${i}`))];
    const s = state(many);
    expect(s.recentRegistryEventIds).toHaveLength(64);
    expect(s.recentRegistryEventIds[0]).toBe('e6');
    expect(s.recentRegistryEventIds[63]).toBe('e69');
    // e5 is out of the window: a redelivery that late records again (the registry retries in order, see ADR).
    spec(many)
      .when(push('v1', 99, D1, 'e5'))
      .then([pushed('v1', 20, D1, 'e5', D2)]);
  });

  it('still records a new event id for the same push (a re-push is audit trail)', () => {
    spec(history)
      .when(push('v1', 99, D2, 'p4'))
      .then([pushed('v1', 20, D2, 'p4', D2)]);
  });
});

describe('When a tag is pulled', () => {
  const given: RepositoryEvent[] = [created, pushed('v1', 20)];
  const pulled = {
    type: 'RepositoryPulled',
    data: { repositoryId: 9, tagId: 20, tag: 'v1', digest: D1, at: later },
  } as const;
  it('records the last pull', () => {
    spec(given)
      .when(cmd('RecordPull', { tag: 'v1', pulledAt: later }))
      .then([pulled]);
  });
  it('never moves last-pulled backwards (late or repeated flushes)', () => {
    spec([...given, pulled])
      .when(cmd('RecordPull', { tag: 'v1', pulledAt: now }))
      .then([]);
    spec([...given, pulled])
      .when(cmd('RecordPull', { tag: 'v1', pulledAt: later }))
      .then([]);
  });
  it('ignores pulls of unknown tags', () => {
    spec(given)
      .when(cmd('RecordPull', { tag: 'nope', pulledAt: later }))
      .then([]);
  });
});

describe('When the catalog is reconciled', () => {
  const facts = (tag: string, digest = D1, previousDigest: string | null = null) => ({
    tag,
    ...manifest(digest),
    previousDigest,
  });
  it('creates the repository and discovers its tags (compensations, by the system)', () => {
    const events = repositoryDecider.decide(
      cmd('ReconcileRepository', { repository: repo, newTagIds: { v1: 20 }, discovered: [facts('v1')], vanished: [] }),
      repositoryDecider.initialState(),
    );
    expect(events.map((e) => e.type)).toEqual(['RepositoryCreated', 'TagDiscovered']);
    expect(events[1].data).toMatchObject({ tagId: 20, tag: 'v1', digest: D1, previousDigest: null });
  });
  it('marks vanished tags and removes the emptied repository', () => {
    const events = repositoryDecider.decide(
      cmd('ReconcileRepository', {
        repository: repo,
        newTagIds: {},
        discovered: [],
        vanished: [{ tag: 'v1', digest: D1 }],
      }),
      [created, pushed('v1', 20)].reduce(repositoryDecider.evolve, repositoryDecider.initialState()),
    );
    expect(events.map((e) => e.type)).toEqual(['TagVanished', 'RepositoryDeleted']);
    expect(events[1].data).toMatchObject({ by: SYSTEM_ACTOR });
  });
  it('changes nothing that already matches', () => {
    spec([created, pushed('v1', 20)])
      .when(
        cmd('ReconcileRepository', {
          repository: repo,
          newTagIds: {},
          discovered: [facts('v1', D1, D1)],
          vanished: [{ tag: 'zzz', digest: D1 }],
        }),
      )
      .then([]);
  });
  it('leaves a tag alone that changed since the diff was made (a push wins over the reconcile)', () => {
    spec([created, pushed('v1', 20, D2)])
      .when(
        cmd('ReconcileRepository', {
          repository: repo,
          newTagIds: {},
          discovered: [facts('v1', D1, null)],
          vanished: [{ tag: 'v1', digest: D1 }],
        }),
      )
      .then([]);
  });
});

describe('When the description changes', () => {
  const change = (description: string, actor: ActorRef, actorRole: 'owner' | 'contributor' | null) =>
    cmd('ChangeRepositoryDescription', { description, actorRole, settings: defaultSettings }, meta(actor));
  it('lets admins and namespace owners change it', () => {
    const event = { type: 'RepositoryDescriptionChanged', data: { id: 9, old: '', new: 'hi', at: now } } as const;
    spec([created])
      .when(change('hi', admin, null))
      .then([event]);
    spec([created])
      .when(change('hi', alice, 'owner'))
      .then([event]);
  });
  it('refuses contributors and outsiders', () => {
    spec([created])
      .when(change('hi', alice, 'contributor'))
      .thenThrows('REPOSITORY.FORBIDDEN');
    spec([created])
      .when(change('hi', alice, null))
      .thenThrows('REPOSITORY.FORBIDDEN');
  });
  it('refuses more than 64 KiB', () => {
    spec([created])
      .when(change('x'.repeat(65537), admin, null))
      .thenThrows('REPOSITORY.DESCRIPTION_TOO_LONG');
  });
});

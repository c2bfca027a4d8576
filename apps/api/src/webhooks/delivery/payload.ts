import type { WebhookContentType, WebhookEventKind, WebhookFormat } from '@portcullis/domain';
import type { RecordedEvent } from '@portcullis/persistence';

/** RegistrySubject is a push, delete or pull as the dispatcher matched it. */
export interface RegistrySubject {
  readonly kind: WebhookEventKind;
  readonly namespaceId: number | null;
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
  readonly mediaType: string | null;
  readonly size: number | null;
  readonly actor: string;
  readonly registryEventId: string | null;
  readonly at: string;
}

/**
 * portusBody is the registry event as Portus forwarded it (portus-reference §5): id, timestamp, action,
 * target{mediaType,size,digest,length,repository,url,tag}, actor{name}. `request` and `source` are not kept
 * by Portcullis and are left out.
 */
export function portusBody(s: RegistrySubject, eventId: string, registryUrl: string | null): Record<string, unknown> {
  return {
    id: s.registryEventId ?? eventId,
    timestamp: s.at,
    action: s.kind,
    target: {
      mediaType: s.mediaType,
      size: s.size,
      digest: s.digest,
      length: s.size,
      repository: s.repository,
      url: registryUrl ? `${registryUrl}/v2/${s.repository}/manifests/${s.digest}` : null,
      tag: s.tag,
    },
    actor: { name: s.actor },
  };
}

const CE_TYPES: Record<WebhookEventKind, string> = {
  push: 'io.portcullis.image.pushed',
  delete: 'io.portcullis.tag.deleted',
  pull: 'io.portcullis.image.pulled',
};

/** cloudEvent wraps the Portus body in a CloudEvents 1.0 structured-mode envelope. */
export function cloudEvent(
  s: RegistrySubject,
  eventId: string,
  source: string,
  data: unknown,
): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: eventId,
    source,
    type: CE_TYPES[s.kind],
    subject: `${s.repository}:${s.tag}`,
    time: s.at,
    datacontenttype: 'application/json',
    data,
  };
}

/**
 * formEncode really form-encodes (Portus sent JSON under a form content type): nested objects use Rails'
 * bracket keys (`target[repository]=…`), which is what a Portus-era receiver's framework parses.
 */
export function formEncode(value: unknown): string {
  const params = new URLSearchParams();
  const walk = (v: unknown, key: string) => {
    if (v === null || v === undefined) params.append(key, '');
    else if (typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, key ? `${key}[${k}]` : k);
    else params.append(key, String(v));
  };
  walk(value, '');
  return params.toString();
}

/** renderBody builds the request body for a webhook's format and content type. */
export function renderBody(
  s: RegistrySubject,
  eventId: string,
  options: { format: WebhookFormat; contentType: WebhookContentType; registryUrl: string | null; source: string },
): string {
  const portus = portusBody(s, eventId, options.registryUrl);
  const payload = options.format === 'cloudevents' ? cloudEvent(s, eventId, options.source, portus) : portus;
  return options.contentType === 'application/json' ? JSON.stringify(payload) : formEncode(payload);
}

/** REGISTRY_EVENT_TYPES are the store events webhooks fire on. */
export const REGISTRY_EVENT_TYPES = ['ImagePushed', 'TagDeleted', 'RepositoryPulled'] as const;

/** subjectOf maps a stored registry event to a subject; pulls need the repository looked up (by the caller). */
export function subjectOf(
  e: RecordedEvent,
  repo: { full_name: string; namespace_id: number | null } | null,
): RegistrySubject | null {
  const d = e.data as Record<string, unknown>;
  const at = (d['at'] as string | undefined) ?? e.created;
  if (e.type === 'ImagePushed' || e.type === 'TagDeleted') {
    const actor = (e.type === 'ImagePushed' ? d['actor'] : d['by']) as { username?: string } | undefined;
    return {
      kind: e.type === 'ImagePushed' ? 'push' : 'delete',
      namespaceId: (d['namespaceId'] as number | null) ?? null,
      repository: d['fullName'] as string,
      tag: d['tag'] as string,
      digest: d['digest'] as string,
      mediaType: (d['mediaType'] as string | undefined) ?? null,
      size: (d['size'] as number | null | undefined) ?? null,
      actor: actor?.username ?? '',
      registryEventId: (d['registryEventId'] as string | null) ?? null,
      at,
    };
  }
  if (e.type === 'RepositoryPulled' && repo) {
    return {
      kind: 'pull',
      namespaceId: repo.namespace_id,
      repository: repo.full_name,
      tag: d['tag'] as string,
      digest: d['digest'] as string,
      mediaType: null,
      size: null,
      actor: '',
      registryEventId: null,
      at,
    };
  }
  return null;
}

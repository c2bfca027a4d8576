import { z } from 'zod';

/**
 * The distribution (docker registry) notification envelope, mirrored field for field from
 * distribution's `notifications/event.go`. Unknown fields are accepted and dropped, so a newer registry
 * that adds fields does not get its notifications refused (it would retry them forever).
 */

/** EVENTS_MEDIA_TYPE_V1 is the Content-Type distribution 2.8 sends (observed, registry-interop §6). */
export const EVENTS_MEDIA_TYPE_V1 = 'application/vnd.docker.distribution.events.v1+json';
/** EVENTS_MEDIA_TYPE_V2 is the name distribution 3.x gives the same envelope. */
export const EVENTS_MEDIA_TYPE_V2 = 'application/vnd.docker.distribution.events.v2+json';

/** Manifest media types Portcullis records as images (blob events are ignored). */
export const ManifestMediaTypes = {
  dockerV2: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
} as const;

/** IMAGE_MANIFEST_TYPES are single-platform manifests: size = config + layers. */
export const IMAGE_MANIFEST_TYPES: readonly string[] = [ManifestMediaTypes.dockerV2, ManifestMediaTypes.ociManifest];
/** INDEX_MANIFEST_TYPES are multi-platform lists: platforms come from the body. */
export const INDEX_MANIFEST_TYPES: readonly string[] = [ManifestMediaTypes.dockerList, ManifestMediaTypes.ociIndex];

// Grammars from distribution's reference package and the OCI image spec. They are strict because these
// values end up in stream ids and in URLs Portcullis sends back to the registry.
/** REPOSITORY_NAME_PATTERN is distribution's path grammar: lower-case components joined by `/`. */
export const REPOSITORY_NAME_PATTERN =
  /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
/** TAG_PATTERN is distribution's tag grammar. */
export const TAG_PATTERN = /^[\w][\w.-]{0,127}$/;
/** DIGEST_PATTERN is the OCI digest grammar (`algorithm:encoded`). */
export const DIGEST_PATTERN = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

const text = (max = 1024) => z.string().max(max);

/** Descriptor is a content descriptor: the target itself, or one of its `references`. */
export const Descriptor = z.object({
  mediaType: text(255).optional(),
  size: z.number().int().min(0).optional(),
  digest: z.string().regex(DIGEST_PATTERN, 'must be a digest').optional(),
  urls: z.array(text(2048)).max(64).optional(),
});
export type Descriptor = z.infer<typeof Descriptor>;

/** EventTarget is `target`: what was pushed, pulled, mounted or deleted. */
export const EventTarget = Descriptor.extend({
  length: z.number().int().min(0).optional(),
  repository: z.string().max(255).regex(REPOSITORY_NAME_PATTERN, 'must be a repository name'),
  fromRepository: z.string().max(255).regex(REPOSITORY_NAME_PATTERN).optional(),
  url: text(4096).optional(),
  tag: z.string().regex(TAG_PATTERN, 'must be a tag').optional(),
  references: z.array(Descriptor).max(10_000).optional(),
});
export type EventTarget = z.infer<typeof EventTarget>;

/** RegistryEventAction is `action`; `mount` is a cross-repository blob mount. */
export const RegistryEventAction = z.enum(['pull', 'push', 'mount', 'delete']);
export type RegistryEventAction = z.infer<typeof RegistryEventAction>;

/** RegistryNotificationEvent is one event of the envelope. */
export const RegistryNotificationEvent = z.object({
  id: z.string().min(1).max(255),
  timestamp: text(64),
  action: RegistryEventAction,
  target: EventTarget,
  request: z
    .object({
      id: text(255).optional(),
      addr: text(255).optional(),
      host: text(255).optional(),
      method: text(16).optional(),
      useragent: text(4096).optional(),
    })
    .optional(),
  // `actor` is `{}` when the token had no `sub` (anonymous pull).
  actor: z.object({ name: text(255).optional() }).optional(),
  source: z.object({ addr: text(255).optional(), instanceID: text(255).optional() }).optional(),
});
export type RegistryNotificationEvent = z.infer<typeof RegistryNotificationEvent>;

/** RegistryNotificationEnvelope is the POST body: 2.8 sends exactly one event per envelope. */
export const RegistryNotificationEnvelope = z.object({
  events: z.array(RegistryNotificationEvent).max(1000),
});
export type RegistryNotificationEnvelope = z.infer<typeof RegistryNotificationEnvelope>;

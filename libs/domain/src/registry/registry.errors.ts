import { conflict, forbidden, illegalState, notFound, validation } from '../shared/domain-error';
import type { RegistryFieldError } from './registry.rules';

const FIELD_CODES: Record<RegistryFieldError['field'], string> = {
  name: 'REGISTRY.INVALID_NAME',
  hostname: 'REGISTRY.INVALID_HOSTNAME',
  externalHostname: 'REGISTRY.INVALID_EXTERNAL_HOSTNAME',
};

/** RegistryErrors lists every error the registry rules throw, one stable code each. */
export const RegistryErrors = {
  exists: (id: number) => conflict('REGISTRY.EXISTS', `Registry ${id} already exists`),
  notFound: () => notFound('REGISTRY.NOT_FOUND', 'Registry not found'),
  forbidden: () => forbidden('REGISTRY.FORBIDDEN', 'Only admins can manage the registry'),
  onlyOne: () => illegalState('REGISTRY.ONLY_ONE', 'You can only create one registry'),
  hostnameLocked: () => illegalState('REGISTRY.HOSTNAME_LOCKED', 'The hostname cannot change once repositories exist'),
  invalidField: (e: RegistryFieldError) => validation(FIELD_CODES[e.field], e.message, e.field),
} as const;

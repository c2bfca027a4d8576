import { NAMESPACE_CREATOR } from '../registry-auth/namespace-creator.port';
import { NamespaceAutoCreate } from './namespace-auto-create';
import { ProvisioningCommandHandlers } from './provisioning.commands';

/** ProvisioningProviders: the workflows that span aggregates, and the token path's namespace creator. */
export const ProvisioningProviders = [
  ...ProvisioningCommandHandlers,
  NamespaceAutoCreate,
  { provide: NAMESPACE_CREATOR, useExisting: NamespaceAutoCreate },
];

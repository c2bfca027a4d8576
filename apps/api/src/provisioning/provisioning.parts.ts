import { NAMESPACE_CREATOR } from '../registry-auth/namespace-creator.port';
import { NamespaceAutoCreate } from './namespace-auto-create';
import { Provisioning } from './provisioning';

/** ProvisioningProviders: the workflows that span aggregates, and the token path's namespace creator. */
export const ProvisioningProviders = [
  Provisioning,
  NamespaceAutoCreate,
  { provide: NAMESPACE_CREATOR, useExisting: NamespaceAutoCreate },
];

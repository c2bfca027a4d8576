import { z } from 'zod';
import { boolish, name } from './common';

const hostname = () => z.string().trim().min(1, 'must not be blank').max(255, 'is too long (max 255)');

/** RegistryFields are the fields of a registry in create/update/validate. */
export const RegistryFields = z
  .object({
    name: name(),
    hostname: hostname(),
    use_ssl: boolish(),
    external_hostname: hostname().nullable().optional(),
  })
  .strict();

/** CreateRegistryRequest is POST /api/v1/registries; `force` skips the reachability check (Portus). */
export const CreateRegistryRequest = z.object({ registry: RegistryFields, force: boolish().optional() }).strict();

/** UpdateRegistryRequest is PUT /api/v1/registries/:id. */
export const UpdateRegistryRequest = z
  .object({ registry: RegistryFields.partial().strict(), force: boolish().optional() })
  .strict();

/** RegistryEntity is Portus's API::Entities::Registries. */
export interface RegistryEntity {
  id: number;
  name: string;
  hostname: string;
  external_hostname: string | null;
  use_ssl: boolean;
  created_at: string;
  updated_at: string;
}

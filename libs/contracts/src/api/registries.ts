import { z } from 'zod';
import { boolish, entity, id, name, timestamp } from './common';

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
export const RegistryEntity = entity(
  'RegistryEntity',
  'The registry (Portus’s Registries entity)',
  z.strictObject({
    id: id(),
    name: z.string(),
    hostname: z.string(),
    external_hostname: z.string().nullable(),
    use_ssl: z.boolean(),
    created_at: timestamp(),
    updated_at: timestamp(),
  }),
);
export type RegistryEntity = z.infer<typeof RegistryEntity>;

/** RegistryConfigEntity is GET /api/v1/registries/:id/config: the files `docker-registry serve` needs. */
export const RegistryConfigEntity = entity(
  'RegistryConfigEntity',
  'A runnable registry configuration: the files (name → content) and the command that runs them',
  z.strictObject({
    files: z.strictObject({ 'config.yml': z.string(), 'portcullis-bundle.crt': z.string() }),
    run: z.string(),
  }),
);
export type RegistryConfigEntity = z.infer<typeof RegistryConfigEntity>;

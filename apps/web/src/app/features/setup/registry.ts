/** Registry is the API's registry entity (GET/POST/PUT /api/v1/registries). */
export interface Registry {
  id: number;
  name: string;
  hostname: string;
  external_hostname: string | null;
  use_ssl: boolean;
  created_at: string;
  updated_at: string;
}

/** RegistryCheck is GET /api/v1/registries/validate: field problems, including why the registry is unreachable. */
export interface RegistryCheck {
  valid: boolean;
  messages: Record<string, string[]>;
}

/** RegistryConfig is GET /api/v1/registries/:id/config: the files `docker-registry serve` needs. */
export interface RegistryConfig {
  files: Record<string, string>;
  run: string;
}

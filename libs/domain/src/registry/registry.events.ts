import type { DomainEvent } from '../shared/message';

// Stream: registry-<id>. Portus allows one registry; the decider enforces it from the count it is given,
// and the handler holds the `unique-registry-singleton` reservation.

export type RegistryCreated = DomainEvent<
  'RegistryCreated',
  {
    id: number;
    name: string;
    hostname: string;
    useSsl: boolean;
    externalHostname: string | null;
    at: string;
  }
>;
export type RegistryUpdated = DomainEvent<
  'RegistryUpdated',
  {
    id: number;
    changes: {
      name?: string;
      hostname?: string;
      useSsl?: boolean;
      externalHostname?: string | null;
    };
    previous: {
      name?: string;
      hostname?: string;
      useSsl?: boolean;
      externalHostname?: string | null;
    };
    at: string;
  }
>;

export type RegistryEvent = RegistryCreated | RegistryUpdated;

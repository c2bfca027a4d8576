import type { ReadStore } from '@portcullis/persistence';
import { Collections } from '../collections';
import type { RegistryDoc } from '../registries/registries.projection';

const registries = (store: ReadStore) => store.collection<RegistryDoc>(Collections.registries);

/** findRegistry returns the registry with this id, or null. */
export function findRegistry(store: ReadStore, id: number): Promise<RegistryDoc | null> {
  return registries(store).get(String(id));
}

/** listRegistries lists every registry by id (Portus allows one, so there is no paging). */
export function listRegistries(store: ReadStore): Promise<RegistryDoc[]> {
  return registries(store).find({}, { sort: [['id', 1]] });
}

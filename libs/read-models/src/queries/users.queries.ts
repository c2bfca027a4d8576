import type { Filter, ReadStore } from '@portcullis/persistence';
import { Collections } from '../collections';
import type { UserDoc } from '../users/users.projection';
import type { Page, PageResult } from './paging';
import { findPage, SortableFields } from './paging';

const users = (store: ReadStore) => store.collection<UserDoc>(Collections.users);

/** findUserById returns the user with this id, or null (deleted users are gone). */
export function findUserById(store: ReadStore, id: number): Promise<UserDoc | null> {
  return users(store).get(String(id));
}

/** findUserByUsername returns the user with this exact username, or null. */
export function findUserByUsername(store: ReadStore, username: string): Promise<UserDoc | null> {
  return users(store).findOne({ username });
}

/** findUserByEmail returns the user with this exact e-mail, or null (Portus's `GET /users/:email`). */
export function findUserByEmail(store: ReadStore, email: string): Promise<UserDoc | null> {
  return users(store).findOne({ email });
}

/** listUsers pages all users, optionally those whose username contains `search`. */
export function listUsers(store: ReadStore, page: Page, search?: string): Promise<PageResult<UserDoc>> {
  const filter: Filter = search ? { username: { $contains: search } } : {};
  return findPage(users(store), filter, page, SortableFields.users);
}

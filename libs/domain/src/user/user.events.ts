import type { DomainEvent } from '../shared/message';

// Stream: user-<id>. Application tokens live in their owner's stream, so "≤ N per user" and
// "names unique per user" are decided on one stream with optimistic concurrency.

export type UserRegistered = DomainEvent<
  'UserRegistered',
  {
    id: number;
    username: string;
    email: string | null;
    displayName: string | null;
    /** passwordHash is an argon2id/bcrypt hash, or null for LDAP-created users (no local password). */
    passwordHash: string | null;
    admin: boolean;
    bot: boolean;
    at: string;
  }
>;
export type UserUpdated = DomainEvent<
  'UserUpdated',
  {
    id: number;
    changes: {
      username?: string;
      email?: string | null;
      displayName?: string | null;
    };
    previous: {
      username?: string;
      email?: string | null;
      displayName?: string | null;
    };
    at: string;
  }
>;
export type UserPasswordChanged = DomainEvent<'UserPasswordChanged', { id: number; passwordHash: string; at: string }>;
export type UserDisabled = DomainEvent<'UserDisabled', { id: number; at: string }>;
export type UserEnabled = DomainEvent<'UserEnabled', { id: number; at: string }>;
export type UserAdminGranted = DomainEvent<'UserAdminGranted', { id: number; at: string }>;
export type UserAdminRevoked = DomainEvent<'UserAdminRevoked', { id: number; at: string }>;
export type UserDeleted = DomainEvent<'UserDeleted', { id: number; username: string; at: string }>;
export type ApplicationTokenCreated = DomainEvent<
  'ApplicationTokenCreated',
  {
    userId: number;
    tokenId: number;
    application: string;
    /** tokenHash: SHA-256 hex of the high-entropy token; the plain token is never stored. */
    tokenHash: string;
    expiresAt: string | null;
    at: string;
  }
>;
export type ApplicationTokenRevoked = DomainEvent<
  'ApplicationTokenRevoked',
  { userId: number; tokenId: number; application: string; at: string }
>;

export type UserEvent =
  | UserRegistered
  | UserUpdated
  | UserPasswordChanged
  | UserDisabled
  | UserEnabled
  | UserAdminGranted
  | UserAdminRevoked
  | UserDeleted
  | ApplicationTokenCreated
  | ApplicationTokenRevoked;

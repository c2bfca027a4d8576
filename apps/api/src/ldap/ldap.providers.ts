import type { Provider } from '@nestjs/common';
import { PASSWORD_AUTHENTICATORS } from '../identity/password-authenticator';
import { EnsureDirectoryUserHandler } from './directory-users.commands';
import { GroupSyncCommandHandlers } from './group-sync.commands';
import { LdapAuthenticator } from './ldap-authenticator';
import { LdapDirectory } from './ldap-directory';
import { LdapGroupSync } from './ldap-group-sync';

/** LdapProviders: the directory adapter, the chain's LDAP link, first-login creation and the group sync. */
export const LdapProviders: Provider[] = [
  LdapDirectory,
  EnsureDirectoryUserHandler,
  ...GroupSyncCommandHandlers,
  LdapAuthenticator,
  LdapGroupSync,
  { provide: PASSWORD_AUTHENTICATORS, inject: [LdapAuthenticator], useFactory: (ldap: LdapAuthenticator) => [ldap] },
];

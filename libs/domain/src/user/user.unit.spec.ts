import { DeciderSpecification } from '../shared/decider-specification';
import type { ActorRef, CommandMetadata } from '../shared/message';
import type { UserEvent, UserRegistered } from './user.events';
import type { UserCommand } from './user.decide';
import { userDecider } from './user.decide';

const spec = DeciderSpecification.for(userDecider);
const now = '2024-05-01T10:00:00.000Z';
const admin: ActorRef = { id: 1, username: 'root', admin: true };
const alice: ActorRef = { id: 2, username: 'alice', admin: false };
const bob: ActorRef = { id: 3, username: 'bob', admin: false };
const meta = (actor: ActorRef | null): CommandMetadata => ({ now, actor });

const registered = (id: number, extra: Partial<UserRegistered['data']> = {}): UserRegistered => ({
  type: 'UserRegistered',
  data: {
    id,
    username: id === 1 ? 'root' : id === 2 ? 'alice' : 'bob',
    email: `u${id}@example.com`,
    displayName: null,
    passwordHash: 'hash',
    admin: id === 1,
    bot: false,
    at: now,
    ...extra,
  },
});
const aliceExists = [registered(2)];
const cmd = <C extends UserCommand>(type: C['type'], data: C['data'], actor: ActorRef | null) =>
  ({ type, data, metadata: meta(actor) }) as C;

describe('When no user exists', () => {
  const register = (
    data: Partial<Extract<UserCommand, { type: 'RegisterUser' }>['data']> = {},
    actor: ActorRef | null = null,
  ) =>
    cmd(
      'RegisterUser',
      {
        id: 2,
        username: 'alice',
        email: 'u2@example.com',
        displayName: null,
        passwordHash: 'hash',
        admin: false,
        bot: false,
        ...data,
      },
      actor,
    );

  it('registers a user', () => {
    spec([])
      .when(register())
      .then([registered(2)]);
  });
  it('registers an LDAP user without email or password', () => {
    spec([])
      .when(register({ email: null, passwordHash: null }))
      .then([registered(2, { email: null, passwordHash: null })]);
  });
  it('lets an admin create a bot', () => {
    spec([])
      .when(register({ bot: true }, admin))
      .then([registered(2, { bot: true })]);
  });
  it('refuses a missing email for a local user', () => {
    spec([])
      .when(register({ email: null }))
      .thenThrows('USER.INVALID_EMAIL');
  });
  it('refuses a malformed email', () => {
    spec([])
      .when(register({ email: 'nope' }))
      .thenThrows('USER.INVALID_EMAIL');
  });
  it('refuses a username that cannot become a namespace', () => {
    spec([])
      .when(register({ username: '-alice' }))
      .thenThrows('USER.INVALID_USERNAME');
  });
  it('refuses a username with a slash', () => {
    spec([])
      .when(register({ username: 'a/b' }))
      .thenThrows('USER.INVALID_USERNAME');
  });
  it('refuses a non-admin creating an admin', () => {
    spec([])
      .when(register({ admin: true }, bob))
      .thenThrows('USER.FORBIDDEN');
  });
  it('refuses a non-admin creating a bot', () => {
    spec([])
      .when(register({ bot: true }, bob))
      .thenThrows('USER.FORBIDDEN');
  });
  it('refuses an admin bot', () => {
    spec([])
      .when(register({ bot: true, admin: true }, admin))
      .thenThrows('USER.BOT_ADMIN');
  });
  it('refuses every other command with not-found', () => {
    spec([])
      .when(cmd('EnableUser', {}, admin))
      .thenThrows('USER.NOT_FOUND');
  });
});

describe('When the user exists', () => {
  it('refuses registering again', () => {
    spec(aliceExists)
      .when(cmd('RegisterUser', { ...registered(2).data }, null))
      .thenThrows('USER.EXISTS');
  });
  it('lets the user change his email and display name, recording old values', () => {
    spec(aliceExists)
      .when(cmd('UpdateUser', { email: 'new@example.com', displayName: 'Alice' }, alice))
      .then([
        {
          type: 'UserUpdated',
          data: {
            id: 2,
            changes: { email: 'new@example.com', displayName: 'Alice' },
            previous: { email: 'u2@example.com', displayName: null },
            at: now,
          },
        },
      ]);
  });
  it('emits nothing when nothing changes', () => {
    spec(aliceExists)
      .when(cmd('UpdateUser', { username: 'alice', email: 'u2@example.com' }, alice))
      .then([]);
  });
  it('lets an admin rename the user', () => {
    spec(aliceExists)
      .when(cmd('UpdateUser', { username: 'alice2' }, admin))
      .then([
        {
          type: 'UserUpdated',
          data: {
            id: 2,
            changes: { username: 'alice2' },
            previous: { username: 'alice' },
            at: now,
          },
        },
      ]);
  });
  it('refuses the user renaming himself', () => {
    spec(aliceExists)
      .when(cmd('UpdateUser', { username: 'alice2' }, alice))
      .thenThrows('USER.USERNAME_ADMIN_ONLY');
  });
  it('refuses another user editing the profile', () => {
    spec(aliceExists)
      .when(cmd('UpdateUser', { displayName: 'x' }, bob))
      .thenThrows('USER.FORBIDDEN');
  });
  it('refuses anonymous edits', () => {
    spec(aliceExists)
      .when(cmd('UpdateUser', { displayName: 'x' }, null))
      .thenThrows('USER.FORBIDDEN');
  });
  it('refuses an invalid new email', () => {
    spec(aliceExists)
      .when(cmd('UpdateUser', { email: 'bad' }, alice))
      .thenThrows('USER.INVALID_EMAIL');
  });
  it('refuses dropping the email of a local user', () => {
    spec(aliceExists)
      .when(cmd('UpdateUser', { email: null }, alice))
      .thenThrows('USER.INVALID_EMAIL');
  });
  it('refuses an invalid new username even from an admin', () => {
    spec(aliceExists)
      .when(cmd('UpdateUser', { username: 'a b' }, admin))
      .thenThrows('USER.INVALID_USERNAME');
  });

  it('lets the user change his password', () => {
    spec(aliceExists)
      .when(cmd('ChangePassword', { passwordHash: 'h2' }, alice))
      .then([
        {
          type: 'UserPasswordChanged',
          data: { id: 2, passwordHash: 'h2', at: now },
        },
      ]);
  });
  it('lets an admin change the password', () => {
    spec(aliceExists)
      .when(cmd('ChangePassword', { passwordHash: 'h2' }, admin))
      .then([
        {
          type: 'UserPasswordChanged',
          data: { id: 2, passwordHash: 'h2', at: now },
        },
      ]);
  });
  it('refuses another user changing the password', () => {
    spec(aliceExists)
      .when(cmd('ChangePassword', { passwordHash: 'h2' }, bob))
      .thenThrows('USER.FORBIDDEN');
  });
  it('refuses an empty password hash', () => {
    spec(aliceExists)
      .when(cmd('ChangePassword', { passwordHash: '' }, alice))
      .thenThrows('USER.INVALID_PASSWORD');
  });
});

describe('When enabling and disabling', () => {
  const disabled: UserEvent[] = [...aliceExists, { type: 'UserDisabled', data: { id: 2, at: now } }];
  it('lets a user disable himself', () => {
    spec(aliceExists)
      .when(cmd('DisableUser', { enabledAdminIds: [1] }, alice))
      .then([{ type: 'UserDisabled', data: { id: 2, at: now } }]);
  });
  it('lets an admin disable anyone', () => {
    spec(aliceExists)
      .when(cmd('DisableUser', { enabledAdminIds: [1] }, admin))
      .then([{ type: 'UserDisabled', data: { id: 2, at: now } }]);
  });
  it('refuses another user disabling him', () => {
    spec(aliceExists)
      .when(cmd('DisableUser', { enabledAdminIds: [1] }, bob))
      .thenThrows('USER.FORBIDDEN');
  });
  it('emits nothing when already disabled', () => {
    spec(disabled)
      .when(cmd('DisableUser', { enabledAdminIds: [1] }, admin))
      .then([]);
  });
  it('refuses disabling the last enabled admin, even by himself', () => {
    spec([registered(1)])
      .when(cmd('DisableUser', { enabledAdminIds: [1] }, admin))
      .thenThrows('USER.LAST_ADMIN');
  });
  it('lets an admin disable himself when another admin is enabled', () => {
    spec([registered(1)])
      .when(cmd('DisableUser', { enabledAdminIds: [1, 4] }, admin))
      .then([{ type: 'UserDisabled', data: { id: 1, at: now } }]);
  });
  it('lets an admin enable a disabled user', () => {
    spec(disabled)
      .when(cmd('EnableUser', {}, admin))
      .then([{ type: 'UserEnabled', data: { id: 2, at: now } }]);
  });
  it('refuses a user enabling himself', () => {
    spec(disabled)
      .when(cmd('EnableUser', {}, alice))
      .thenThrows('USER.FORBIDDEN');
  });
  it('emits nothing when already enabled', () => {
    spec(aliceExists)
      .when(cmd('EnableUser', {}, admin))
      .then([]);
  });
});

describe('When changing the admin flag', () => {
  const aliceAdmin: UserEvent[] = [...aliceExists, { type: 'UserAdminGranted', data: { id: 2, at: now } }];
  it('lets an admin grant admin', () => {
    spec(aliceExists)
      .when(cmd('SetAdmin', { admin: true, enabledAdminIds: [1] }, admin))
      .then([{ type: 'UserAdminGranted', data: { id: 2, at: now } }]);
  });
  it('lets an admin revoke another admin', () => {
    spec(aliceAdmin)
      .when(cmd('SetAdmin', { admin: false, enabledAdminIds: [1, 2] }, admin))
      .then([{ type: 'UserAdminRevoked', data: { id: 2, at: now } }]);
  });
  it('emits nothing when unchanged', () => {
    spec(aliceAdmin)
      .when(cmd('SetAdmin', { admin: true, enabledAdminIds: [1, 2] }, admin))
      .then([]);
  });
  it('refuses a non-admin', () => {
    spec(aliceExists)
      .when(cmd('SetAdmin', { admin: true, enabledAdminIds: [1] }, alice))
      .thenThrows('USER.FORBIDDEN');
  });
  it('refuses an admin toggling himself (Portus 403)', () => {
    spec([registered(1)])
      .when(cmd('SetAdmin', { admin: false, enabledAdminIds: [1, 2] }, admin))
      .thenThrows('USER.SELF_ADMIN_TOGGLE');
  });
  it('refuses revoking the last enabled admin', () => {
    spec(aliceAdmin)
      .when(cmd('SetAdmin', { admin: false, enabledAdminIds: [2] }, { ...admin, id: 9 }))
      .thenThrows('USER.LAST_ADMIN');
  });
  it('refuses making a bot an admin', () => {
    spec([registered(3, { bot: true })])
      .when(cmd('SetAdmin', { admin: true, enabledAdminIds: [1] }, admin))
      .thenThrows('USER.BOT_ADMIN');
  });
});

describe('When deleting', () => {
  it('lets an admin delete a user', () => {
    spec(aliceExists)
      .when(cmd('DeleteUser', { enabledAdminIds: [1] }, admin))
      .then([{ type: 'UserDeleted', data: { id: 2, username: 'alice', at: now } }]);
  });
  it('refuses a non-admin', () => {
    spec(aliceExists)
      .when(cmd('DeleteUser', { enabledAdminIds: [1] }, alice))
      .thenThrows('USER.FORBIDDEN');
  });
  it('refuses an admin deleting himself', () => {
    spec([registered(1)])
      .when(cmd('DeleteUser', { enabledAdminIds: [1, 4] }, admin))
      .thenThrows('USER.SELF_DELETE');
  });
  it('refuses deleting the last enabled admin', () => {
    spec([registered(1)])
      .when(cmd('DeleteUser', { enabledAdminIds: [1] }, { ...admin, id: 9 }))
      .thenThrows('USER.LAST_ADMIN');
  });
  it('treats a deleted user as not found', () => {
    spec([...aliceExists, { type: 'UserDeleted', data: { id: 2, username: 'alice', at: now } }])
      .when(cmd('UpdateUser', { displayName: 'x' }, admin))
      .thenThrows('USER.NOT_FOUND');
  });
});

describe('When managing application tokens', () => {
  const create = (
    application: string,
    actor: ActorRef | null = alice,
    extra: { max?: number; expiresAt?: string | null } = {},
  ) =>
    cmd(
      'CreateApplicationToken',
      {
        tokenId: 10,
        application,
        tokenHash: 'th',
        expiresAt: null,
        max: 5,
        ...extra,
      },
      actor,
    );
  const created = (tokenId: number, application: string, userId = 2): UserEvent => ({
    type: 'ApplicationTokenCreated',
    data: {
      userId,
      tokenId,
      application,
      tokenHash: 'th',
      expiresAt: null,
      at: now,
    },
  });
  const bot = [registered(3, { bot: true })];

  it('lets the owner create a token, trimming the name', () => {
    spec(aliceExists)
      .when(create('  ci  '))
      .then([created(10, 'ci')]);
  });
  it('lets an admin create a token for a bot', () => {
    spec(bot)
      .when(create('ci', admin))
      .then([created(10, 'ci', 3)]);
  });
  it('refuses an admin creating a token for a human (Portus allows anyone: we do not)', () => {
    spec(aliceExists).when(create('ci', admin)).thenThrows('TOKEN.FORBIDDEN');
  });
  it('refuses another user creating a token', () => {
    spec(aliceExists).when(create('ci', bob)).thenThrows('TOKEN.FORBIDDEN');
  });
  it('refuses a blank application name', () => {
    spec(aliceExists).when(create('   ')).thenThrows('TOKEN.INVALID_APPLICATION');
  });
  it('refuses a 256-character application name', () => {
    spec(aliceExists)
      .when(create('x'.repeat(256)))
      .thenThrows('TOKEN.INVALID_APPLICATION');
  });
  it('refuses a duplicate name, case-insensitively', () => {
    spec([...aliceExists, created(9, 'CI')])
      .when(create('ci'))
      .thenThrows('TOKEN.NAME_TAKEN');
  });
  it('refuses more than max tokens', () => {
    spec([...aliceExists, created(8, 'a'), created(9, 'b')])
      .when(create('c', alice, { max: 2 }))
      .thenThrows('TOKEN.LIMIT');
  });
  it('accepts an expiry in the future', () => {
    spec(aliceExists)
      .when(create('ci', alice, { expiresAt: '2025-01-01T00:00:00Z' }))
      .then([
        {
          ...created(10, 'ci'),
          data: {
            ...created(10, 'ci').data,
            expiresAt: '2025-01-01T00:00:00Z',
          },
        } as UserEvent,
      ]);
  });
  it('refuses an expiry in the past', () => {
    spec(aliceExists)
      .when(create('ci', alice, { expiresAt: '2024-01-01T00:00:00Z' }))
      .thenThrows('TOKEN.INVALID_EXPIRY');
  });
  it('refuses an unparsable expiry', () => {
    spec(aliceExists)
      .when(create('ci', alice, { expiresAt: 'tomorrow' }))
      .thenThrows('TOKEN.INVALID_EXPIRY');
  });
  it('refuses a disabled user', () => {
    spec([...aliceExists, { type: 'UserDisabled', data: { id: 2, at: now } }])
      .when(create('ci'))
      .thenThrows('USER.DISABLED');
  });
  it('lets a token name be reused after revocation', () => {
    spec([
      ...aliceExists,
      created(9, 'ci'),
      {
        type: 'ApplicationTokenRevoked',
        data: { userId: 2, tokenId: 9, application: 'ci', at: now },
      },
    ])
      .when(create('ci'))
      .then([created(10, 'ci')]);
  });
  it('lets the owner revoke a token', () => {
    spec([...aliceExists, created(9, 'ci')])
      .when(cmd('RevokeApplicationToken', { tokenId: 9 }, alice))
      .then([
        {
          type: 'ApplicationTokenRevoked',
          data: { userId: 2, tokenId: 9, application: 'ci', at: now },
        },
      ]);
  });
  it("lets an admin revoke a bot's token", () => {
    spec([...bot, created(9, 'ci', 3)])
      .when(cmd('RevokeApplicationToken', { tokenId: 9 }, admin))
      .then([
        {
          type: 'ApplicationTokenRevoked',
          data: { userId: 3, tokenId: 9, application: 'ci', at: now },
        },
      ]);
  });
  it("refuses an admin revoking a human's token", () => {
    spec([...aliceExists, created(9, 'ci')])
      .when(cmd('RevokeApplicationToken', { tokenId: 9 }, admin))
      .thenThrows('TOKEN.FORBIDDEN');
  });
  it('refuses an unknown token', () => {
    spec(aliceExists)
      .when(cmd('RevokeApplicationToken', { tokenId: 99 }, alice))
      .thenThrows('TOKEN.NOT_FOUND');
  });
});

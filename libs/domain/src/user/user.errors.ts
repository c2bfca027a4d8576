import { conflict, forbidden, illegalState, notFound, validation } from '../shared/domain-error';

/** UserErrors lists every error the user and token rules throw, one stable code each. */
export const UserErrors = {
  exists: (id: number) => conflict('USER.EXISTS', `User ${id} already exists`),
  notFound: () => notFound('USER.NOT_FOUND', 'User not found'),
  forbidden: (message: string) => forbidden('USER.FORBIDDEN', message),
  usernameAdminOnly: () => forbidden('USER.USERNAME_ADMIN_ONLY', 'Only admins can change a username'),
  selfAdminToggle: () => forbidden('USER.SELF_ADMIN_TOGGLE', 'You cannot change your own admin flag'),
  selfDelete: () => illegalState('USER.SELF_DELETE', 'You cannot delete yourself'),
  lastAdmin: (what: string) => illegalState('USER.LAST_ADMIN', `The last enabled admin cannot ${what}`),
  disabled: () => illegalState('USER.DISABLED', 'A disabled user cannot get new tokens'),
  botAdmin: () => validation('USER.BOT_ADMIN', 'A bot cannot be an admin', 'admin'),
  invalidUsername: (message: string) => validation('USER.INVALID_USERNAME', message, 'username'),
  invalidEmail: (message: string) => validation('USER.INVALID_EMAIL', message, 'email'),
  invalidDisplayName: () =>
    validation('USER.INVALID_DISPLAY_NAME', 'display name is invalid (max 255, no control characters)', 'displayName'),
  invalidPassword: () => validation('USER.INVALID_PASSWORD', "password can't be blank", 'password'),
  tokenForbidden: () => forbidden('TOKEN.FORBIDDEN', "You are not allowed to manage this user's application tokens"),
  tokenNotFound: () => notFound('TOKEN.NOT_FOUND', 'Application token not found'),
  tokenNameTaken: (name: string) =>
    conflict('TOKEN.NAME_TAKEN', `Application '${name}' has already been taken`, 'application'),
  tokenLimit: (max: number) => illegalState('TOKEN.LIMIT', `Users cannot have more than ${max} application tokens`),
  tokenInvalidApplication: () =>
    validation('TOKEN.INVALID_APPLICATION', 'application must be 1 to 255 characters', 'application'),
  tokenInvalidExpiry: () => validation('TOKEN.INVALID_EXPIRY', 'expiry must be a date in the future', 'expiresAt'),
} as const;

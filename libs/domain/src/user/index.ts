export * from './user';
export * from './user.decide';
export * from './user.rules';
export type { CreateApplicationToken, RevokeApplicationToken } from './application-token.decide';
export { isLastEnabledAdmin } from './user.guards';
export { UserErrors } from './user.errors';

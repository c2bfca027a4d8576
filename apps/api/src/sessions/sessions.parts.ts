import { LoginAttempts } from '../identity/login-attempts';
import { LockoutCommandHandlers } from '../identity/lockout.commands';
import { SessionCommandHandlers } from '../identity/session.commands';
import { UsageRecorder } from '../identity/usage-recorder';
import { Sessions } from '../identity/sessions';
import { SessionsController } from './sessions.controller';
import { UnlockController } from './unlock.controller';

/** SessionsControllers and SessionsProviders are the identity parts the app module registers. */
export const SessionsControllers = [SessionsController, UnlockController];
export const SessionsProviders = [
  LoginAttempts,
  UsageRecorder,
  Sessions,
  ...LockoutCommandHandlers,
  ...SessionCommandHandlers,
];

import { Clock } from '../infrastructure/clock';
import { LoginAttempts } from '../infrastructure/login-attempts';
import { UsageRecorder } from '../infrastructure/usage-recorder';
import { Sessions } from './sessions';
import { SessionsController } from './sessions.controller';
import { UnlockController } from './unlock.controller';

/** SessionsControllers and SessionsProviders are the identity parts the app module registers. */
export const SessionsControllers = [SessionsController, UnlockController];
export const SessionsProviders = [Clock, LoginAttempts, UsageRecorder, Sessions];

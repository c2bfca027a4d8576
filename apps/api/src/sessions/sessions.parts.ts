import { Clock } from '../platform/clock';
import { LoginAttempts } from '../identity/login-attempts';
import { UsageRecorder } from '../identity/usage-recorder';
import { Sessions } from '../identity/sessions';
import { SessionsController } from './sessions.controller';
import { UnlockController } from './unlock.controller';

/** SessionsControllers and SessionsProviders are the identity parts the app module registers. */
export const SessionsControllers = [SessionsController, UnlockController];
export const SessionsProviders = [Clock, LoginAttempts, UsageRecorder, Sessions];

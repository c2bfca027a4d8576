import { StarsController } from './stars.controller';
import { ChangeStarHandler } from './stars.commands';

/** StarsControllers: the star endpoints (registered in AppModule). */
export const StarsControllers = [StarsController];

/** StarsProviders: the star command handler. */
export const StarsProviders = [ChangeStarHandler];

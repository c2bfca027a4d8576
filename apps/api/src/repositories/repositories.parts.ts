import { RepositoriesController, TagsController } from './repositories.controller';
import { RepositoryCommandHandlers } from './repositories.commands';
import { RepositoryAccess } from './repository-access';
import { StarsController } from './stars.controller';
import { ChangeStarHandler } from './stars.commands';

/** RepositoriesControllers: repositories, tags and stars (registered in AppModule). */
export const RepositoriesControllers = [RepositoriesController, TagsController, StarsController];

/** RepositoriesProviders: the visibility rule and the repository, tag and star command handlers. */
export const RepositoriesProviders = [RepositoryAccess, ...RepositoryCommandHandlers, ChangeStarHandler];

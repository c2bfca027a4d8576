import { activitiesProjection } from './activities/activities.projection';
import { applicationTokensProjection } from './application-tokens/application-tokens.projection';
import { credentialsProjection } from './credentials/credentials.projection';
import { namespacesProjection } from './namespaces/namespaces.projection';
import type { Projection } from './projection';
import { registriesProjection } from './registries/registries.projection';
import { sessionsProjection } from './sessions/sessions.projection';
import { starsProjection } from './stars/stars.projection';
import { repositoriesProjection } from './repositories/repositories.projection';
import { tagsProjection } from './tags/tags.projection';
import { teamMembersProjection } from './team-members/team-members.projection';
import { teamsProjection } from './teams/teams.projection';
import { usersProjection } from './users/users.projection';
import { webhookDeliveriesProjection, webhooksProjection } from './webhooks/webhooks.projection';

/** allProjections is every read model the projector runs and the api waits on. */
export const allProjections: readonly Projection[] = [
  usersProjection,
  credentialsProjection,
  applicationTokensProjection,
  teamsProjection,
  teamMembersProjection,
  namespacesProjection,
  registriesProjection,
  repositoriesProjection,
  tagsProjection,
  activitiesProjection,
  webhooksProjection,
  webhookDeliveriesProjection,
  sessionsProjection,
  starsProjection,
];

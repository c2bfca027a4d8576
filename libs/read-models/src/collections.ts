/** Collections names every read-model collection, so the api and the projector agree on them. */
export const Collections = {
  users: 'users',
  credentials: 'credentials',
  applicationTokens: 'application_tokens',
  teams: 'teams',
  teamMembers: 'team_members',
  namespaces: 'namespaces',
  registries: 'registries',
  repositories: 'repositories',
  tags: 'tags',
  activities: 'activities',
  activityNames: 'activity_names',
  sessions: 'sessions',
  stars: 'stars',
  starCounts: 'star_counts',
} as const;

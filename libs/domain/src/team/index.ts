export * from './team';
export * from './team.decide';
export * from './team-group-sync.decide';
export * from './team.rules';
export { TeamErrors } from './team.errors';

export * from './repository.events';
export * from './repository';
export * from './repository.decide';
export * from './repository.rules';
export { RepositoryErrors } from './repository.errors';

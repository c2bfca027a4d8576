export * from './registry';
export * from './registry.decide';
export * from './registry.rules';
export { RegistryErrors } from './registry.errors';

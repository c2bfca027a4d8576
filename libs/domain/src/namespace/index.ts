export * from './namespace';
export * from './namespace.decide';
export * from './namespace.rules';
export { NamespaceErrors } from './namespace.errors';

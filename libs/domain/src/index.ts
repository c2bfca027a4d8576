export * from './shared/message';
export * from './shared/domain-error';
export * from './shared/decider-specification';

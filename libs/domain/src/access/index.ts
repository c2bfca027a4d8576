export * from './scope';
export * from './evaluate-access';
export * from './auto-create';

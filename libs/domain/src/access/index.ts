export * from './scope';
export * from './evaluate-access';

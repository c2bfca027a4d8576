export * from './star.events';
export * from './star';
export * from './star.decide';

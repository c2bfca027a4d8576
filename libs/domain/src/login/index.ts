export * from './lockout';
export * from './token-usage';

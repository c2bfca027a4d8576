export * from './reservation';
export * from './reservation.decide';

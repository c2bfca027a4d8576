export * from './event-store/event-store.port';
export * from './read-store/read-store.port';
export * from './event-store/sqlite-event-store';
export * from './event-store/eventstoredb-event-store';
export * from './event-store/create-event-store';

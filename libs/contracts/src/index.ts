export * from './api/common';
export * from './api/users';
export * from './api/teams';
export * from './api/namespaces';
export * from './api/registries';
export * from './registry/notifications';
export * from './api/repositories';
export * from './api/webhooks';

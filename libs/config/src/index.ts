export * from './config-schema';
export * from './load-config';
export * from './ldap-attribute';
export * from './secret';
export * from './store-options';

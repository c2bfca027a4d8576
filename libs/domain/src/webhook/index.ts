export * from './webhook.events';
export * from './webhook';
export * from './webhook.decide';
export * from './webhook.rules';
export * from './webhook-delivery';
export { WebhookErrors } from './webhook.errors';

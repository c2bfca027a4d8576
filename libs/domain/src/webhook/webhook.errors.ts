import { conflict, forbidden, illegalState, notFound, validation } from '../shared/domain-error';

/** WebhookErrors lists every error the webhook rules throw, one stable code each. */
export const WebhookErrors = {
  exists: (id: number) => conflict('WEBHOOK.EXISTS', `Webhook ${id} already exists`),
  notFound: () => notFound('WEBHOOK.NOT_FOUND', 'Webhook not found'),
  forbidden: (message = 'You are not allowed to manage webhooks of this namespace') =>
    forbidden('WEBHOOK.FORBIDDEN', message),
  systemForbidden: () => forbidden('WEBHOOK.FORBIDDEN', 'Only admins manage system-wide webhooks'),
  invalid: (field: string, message: string) => validation(`WEBHOOK.INVALID_${field.toUpperCase()}`, message, field),
  headerExists: (name: string) => conflict('WEBHOOK.HEADER_EXISTS', `header ${name} is already set`, 'name'),
  headerNotFound: () => notFound('WEBHOOK.HEADER_NOT_FOUND', 'Header not found'),
  disabled: () => illegalState('WEBHOOK.DISABLED', 'Enable the webhook before replaying events to it'),
  replayRange: () => validation('WEBHOOK.INVALID_REPLAY', 'give exactly one of from_position or from_time', 'from'),
  deliveryNotFound: () => notFound('WEBHOOK_DELIVERY.NOT_FOUND', 'Delivery not found'),
  deliveryExists: () => conflict('WEBHOOK_DELIVERY.EXISTS', 'Delivery already scheduled'),
  notPending: () => illegalState('WEBHOOK_DELIVERY.NOT_PENDING', 'Delivery is not waiting for an attempt'),
} as const;

import type { WebhookEndpoint } from '../../generated/prisma/client.js';

/** Most endpoints one business may have (creating one more answers 409 WEBHOOK_ENDPOINT_LIMIT). */
export const MAX_WEBHOOK_ENDPOINTS = 20;
export const MAX_WEBHOOK_URL_LENGTH = 2048;
export const MAX_WEBHOOK_DESCRIPTION_LENGTH = 500;

/**
 * Every column of an endpoint that may be shown: never a secret (sealed or not), nor the
 * deliverer's own state (cursor, start snapshot, lease).
 */
export const WEBHOOK_ENDPOINT_PUBLIC_FIELDS = {
  id: true,
  businessId: true,
  url: true,
  description: true,
  eventTypes: true,
  enabled: true,
  disabledReason: true,
  disabledAt: true,
  failingSince: true,
  previousSecretExpiresAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

export type WebhookEndpointView = Pick<WebhookEndpoint, keyof typeof WEBHOOK_ENDPOINT_PUBLIC_FIELDS>;

/** Why an endpoint is disabled: by a caller, because the receiver answered 410 Gone, or because it failed too long. */
export type WebhookDisabledReason = 'manual' | 'gone' | 'failing';

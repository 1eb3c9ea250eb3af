import type { WebhookEndpoint } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import { openSecret } from './secretBox.js';

type EndpointSecrets = Pick<WebhookEndpoint, 'secretEncrypted' | 'previousSecretEncrypted' | 'previousSecretExpiresAt'>;

/** The end of a rotation's grace period, while it runs (the previous secret still signs until then); else null. */
export function rotationGraceEnd(endpoint: Pick<WebhookEndpoint, 'previousSecretExpiresAt'>, now: Date): Date | null {
  const end = endpoint.previousSecretExpiresAt;
  return end && end.getTime() > now.getTime() ? end : null;
}

/**
 * The secrets that sign a request to this endpoint at `now`: its current secret, and after a
 * rotation the previous one too until its grace period ends (a receiver that still has the old
 * secret verifies one signature, one with the new secret the other). Current first.
 */
export function endpointSigningSecrets(deps: Pick<Deps, 'outboundWebhooks'>, endpoint: EndpointSecrets, now: Date): string[] {
  const key = deps.outboundWebhooks.secretKey;
  const secrets = [openSecret(key, endpoint.secretEncrypted)];
  if (endpoint.previousSecretEncrypted && rotationGraceEnd(endpoint, now)) secrets.push(openSecret(key, endpoint.previousSecretEncrypted));
  return secrets;
}

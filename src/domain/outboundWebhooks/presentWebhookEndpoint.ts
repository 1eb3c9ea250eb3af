import { rotationGraceEnd } from './endpointSigningSecrets.js';

/**
 * An endpoint row as callers see it: previousSecretExpiresAt only while the rotation's grace runs
 * (the column keeps the past time until the next rotation). Works on any selection of columns.
 */
export function presentWebhookEndpoint<T extends { previousSecretExpiresAt?: Date | null }>(row: T, now: Date): T {
  if (row.previousSecretExpiresAt === undefined || row.previousSecretExpiresAt === null) return row;
  return { ...row, previousSecretExpiresAt: rotationGraceEnd({ previousSecretExpiresAt: row.previousSecretExpiresAt }, now) };
}

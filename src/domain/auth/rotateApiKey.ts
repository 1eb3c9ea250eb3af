import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { assertUuid } from '../ids.js';
import { apiKeyPrefix, generateApiKey, hashApiKey } from './apiKeySecret.js';
import { API_KEY_PUBLIC_FIELDS } from './apiKeyFields.js';
import type { ApiKeyListing } from './listApiKeys.js';
import { runTransaction } from '../../db/transaction.js';
import { lockApiKey } from '../../db/sql/locks.js';

export interface RotatedApiKey {
  apiKey: ApiKeyListing;
  /** The new plaintext key: returned once, stored nowhere. */
  key: string;
  revokedApiKey: ApiKeyListing;
}

/**
 * Replaces a key's secret: a new key with the same name, scope, business and expiry, and the old
 * one revoked in the same transaction. Sessions minted with the old key stay valid and now belong
 * to the new one (rotation is routine; use revoke for a leaked key).
 */
export async function rotateApiKey(deps: Deps, input: { id: string }): Promise<RotatedApiKey> {
  const id = assertUuid(input.id, ['id']);
  const now = deps.clock.now();
  return runTransaction(deps, async (tx) => {
    // Locks the row: two concurrent rotations of one key cannot both succeed.
    if (!(await lockApiKey(tx.sql, id))) throw new NotFoundError('API_KEY_NOT_FOUND', `No API key with id ${JSON.stringify(id)}.`);
    const current = await tx.prisma.apiKey.findUniqueOrThrow({ where: { id }, select: API_KEY_PUBLIC_FIELDS });
    if (current.revokedAt || (current.expiresAt && current.expiresAt <= now)) {
      throw new ConflictError('API_KEY_INACTIVE', `API key ${id} is revoked or expired; create a new key instead of rotating it.`);
    }
    const key = generateApiKey(current.scope);
    const apiKey = await tx.prisma.apiKey.create({
      data: {
        scope: current.scope,
        businessId: current.businessId,
        name: current.name,
        prefix: apiKeyPrefix(key),
        keyHash: hashApiKey(key),
        expiresAt: current.expiresAt,
      },
      select: API_KEY_PUBLIC_FIELDS,
    });
    await tx.prisma.session.updateMany({ where: { apiKeyId: id }, data: { apiKeyId: apiKey.id } });
    const revokedApiKey = await tx.prisma.apiKey.update({ where: { id }, data: { revokedAt: now }, select: API_KEY_PUBLIC_FIELDS });
    return { apiKey, key, revokedApiKey };
  });
}

import { revokeSessions } from '../../db/sql/revokeSessions.js';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { assertUuid } from '../ids.js';
import { API_KEY_PUBLIC_FIELDS } from './apiKeyFields.js';
import type { ApiKeyListing } from './listApiKeys.js';
import { runTransaction } from '../../db/transaction.js';

export interface RevokedApiKey {
  apiKey: ApiKeyListing;
  /** Sessions minted with this key, revoked with it (a leaked key's tokens must die too). */
  revokedSessionIds: string[];
}

/** Revokes a key at once (idempotent: an already revoked key keeps its first revocation time). */
export async function revokeApiKey(deps: Deps, input: { id: string }): Promise<RevokedApiKey> {
  const id = assertUuid(input.id, ['id']);
  return runTransaction(deps, async (tx) => {
    const existing = await tx.prisma.apiKey.findUnique({ where: { id }, select: { id: true, revokedAt: true } });
    if (!existing) throw new NotFoundError('API_KEY_NOT_FOUND', `No API key with id ${JSON.stringify(id)}.`);
    const apiKey = existing.revokedAt
      ? await tx.prisma.apiKey.findUniqueOrThrow({ where: { id }, select: API_KEY_PUBLIC_FIELDS })
      : await tx.prisma.apiKey.update({ where: { id }, data: { revokedAt: deps.clock.now() }, select: API_KEY_PUBLIC_FIELDS });
    const revokedSessionIds = await revokeSessions(tx.sql, { apiKeyId: id });
    return { apiKey, revokedSessionIds };
  });
}

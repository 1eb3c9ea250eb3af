import type { ApiKey } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import type { PrismaQuery } from '../prismaQuery.js';
import { API_KEY_PUBLIC_FIELDS } from './apiKeyFields.js';

export interface ListApiKeysInput {
  /** Only this business's keys. */
  businessId?: string | null;
  scope?: 'service' | 'business' | null;
  /** Also revoked and expired keys (default: active keys only). */
  includeInactive?: boolean | null;
}

export type ApiKeyListing = Omit<ApiKey, 'keyHash'>;

/**
 * API keys, newest first: prefix, scope, business, dates and last use. The hash is never loaded
 * unless a GraphQL query plans it (and the ApiKey type does not expose it).
 */
export async function listApiKeys(deps: Deps, input: ListApiKeysInput, query: PrismaQuery & { take?: number; skip?: number; cursor?: { id: string } } = {}): Promise<ApiKeyListing[]> {
  const now = deps.clock.now();
  const shape = query.select || query.include ? {} : { select: API_KEY_PUBLIC_FIELDS };
  return deps.prisma.apiKey.findMany({
    ...(shape as object),
    ...(query as object),
    where: {
      ...(input.businessId ? { businessId: input.businessId } : {}),
      ...(input.scope ? { scope: input.scope } : {}),
      ...(input.includeInactive ? {} : { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }),
    },
    orderBy: { id: 'desc' },
  }) as Promise<ApiKeyListing[]>;
}

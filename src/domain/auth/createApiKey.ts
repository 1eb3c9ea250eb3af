import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { apiKeyPrefix, generateApiKey, hashApiKey } from './apiKeySecret.js';

export interface CreateApiKeyInput {
  name: string;
  /** Omit for a service key (all businesses). */
  businessId?: string;
  /** Use this exact secret instead of a random one (OMEGA_SERVICE_API_KEY, demo seeding). */
  secret?: string;
  expiresAt?: Date;
}

export interface CreatedApiKey {
  id: string;
  /** The plaintext key: returned once, stored nowhere. */
  key: string;
  prefix: string;
}

export async function createApiKey(deps: Deps, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  const scope = input.businessId === undefined ? 'service' : 'business';
  const key = input.secret ?? generateApiKey(scope);
  if (input.businessId !== undefined) {
    const business = await deps.prisma.business.findUnique({ where: { id: input.businessId }, select: { id: true } });
    if (!business) throw new NotFoundError('BUSINESS_NOT_FOUND', `No business with id ${JSON.stringify(input.businessId)}.`);
  }
  const row = await deps.prisma.apiKey.create({
    data: {
      scope,
      businessId: input.businessId ?? null,
      name: input.name,
      prefix: apiKeyPrefix(key),
      keyHash: hashApiKey(key),
      expiresAt: input.expiresAt ?? null,
    },
    select: { id: true, prefix: true },
  });
  return { id: row.id, key, prefix: row.prefix };
}

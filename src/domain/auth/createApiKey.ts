import type { Deps } from '../deps.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { apiKeyPrefix, generateApiKey, hashApiKey } from './apiKeySecret.js';

export interface CreateApiKeyInput {
  name: string;
  /** Omit for a service key (all businesses). */
  businessId?: string | null;
  /** Use this exact secret instead of a random one (OMEGA_SERVICE_API_KEY, demo seeding). */
  secret?: string;
  expiresAt?: Date | null;
}

export interface CreatedApiKey {
  id: string;
  /** The plaintext key: returned once, stored nowhere. */
  key: string;
  prefix: string;
}

export async function createApiKey(deps: Deps, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 100) {
    throw new ValidationError([{ type: 'value_error', loc: ['name'], msg: 'must be 1 to 100 characters (what the key is for, e.g. "booking sync")', input: input.name }]);
  }
  if (input.expiresAt && input.expiresAt.getTime() <= deps.clock.now().getTime()) {
    throw new ValidationError([{ type: 'value_error', loc: ['expiresAt'], msg: 'must be in the future (omit it for a key that does not expire)', input: input.expiresAt.toISOString() }]);
  }
  const businessId = input.businessId ?? undefined;
  const scope = businessId === undefined ? 'service' : 'business';
  const key = input.secret ?? generateApiKey(scope);
  if (businessId !== undefined) {
    const business = await deps.prisma.business.findUnique({ where: { id: businessId }, select: { id: true } });
    if (!business) throw new NotFoundError('BUSINESS_NOT_FOUND', `No business with id ${JSON.stringify(businessId)}.`);
  }
  const row = await deps.prisma.apiKey.create({
    data: {
      scope,
      businessId: businessId ?? null,
      name,
      prefix: apiKeyPrefix(key),
      keyHash: hashApiKey(key),
      expiresAt: input.expiresAt ?? null,
    },
    select: { id: true, prefix: true },
  });
  return { id: row.id, key, prefix: row.prefix };
}

import type { ApiKey } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { assertUuid } from '../ids.js';
import type { PrismaQuery } from '../prismaQuery.js';
import { API_KEY_PUBLIC_FIELDS } from './apiKeyFields.js';

/** One API key by id (without its hash unless a GraphQL query plans the row; the type never exposes it). */
export async function getApiKey(deps: Deps, id: string, query: PrismaQuery = {}): Promise<ApiKey> {
  const shape = query.select || query.include ? query : { select: API_KEY_PUBLIC_FIELDS };
  const key = await deps.prisma.apiKey.findUnique({ ...(shape as object), where: { id: assertUuid(id, ['id']) } });
  if (!key) throw new NotFoundError('API_KEY_NOT_FOUND', `No API key with id ${JSON.stringify(id)}.`);
  return key as ApiKey;
}

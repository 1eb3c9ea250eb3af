import type { Client } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { isUuid } from '../ids.js';
import type { PrismaQuery } from '../prismaQuery.js';

/** A client by Omega id or, failing that, by the business's own external id. */
export async function getClient(deps: Deps, input: { businessId?: string; clientId: string }, query: PrismaQuery = {}): Promise<Client> {
  const where = isUuid(input.clientId)
    ? { id: input.clientId, ...(input.businessId ? { businessId: input.businessId } : {}) }
    : input.businessId
      ? { businessId: input.businessId, externalId: input.clientId }
      : null;
  const client = where ? ((await deps.prisma.client.findFirst({ ...(query as object), where })) as Client | null) : null;
  if (!client) throw new NotFoundError('CLIENT_NOT_FOUND', `No client ${JSON.stringify(input.clientId)}${input.businessId ? ` in business ${JSON.stringify(input.businessId)}` : ''}.`);
  return client;
}

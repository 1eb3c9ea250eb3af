import type { Message } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import { ValidationError } from '../errors.js';
import type { PrismaQuery } from '../prismaQuery.js';

/**
 * Every message a send request produced (one per recipient), with current statuses, oldest first.
 * Without businessId (service keys only, checked by the caller) it looks across businesses.
 */
export async function getMessagesByRequestId(deps: Deps, input: { requestId: string; businessId?: string }, query: PrismaQuery = {}): Promise<Message[]> {
  if (!input.requestId.trim() || input.requestId.length > 200) {
    throw new ValidationError([{ type: 'value_error', loc: ['requestId'], msg: 'must be 1 to 200 characters', input: input.requestId }]);
  }
  return (await deps.prisma.message.findMany({
    ...(query as object),
    where: { requestId: input.requestId, ...(input.businessId ? { businessId: input.businessId } : {}) },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: 1000,
  })) as Message[];
}

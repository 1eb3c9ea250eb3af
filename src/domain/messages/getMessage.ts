import type { Message } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { isUuid } from '../ids.js';
import type { PrismaQuery } from '../prismaQuery.js';

/** A message by id; with businessId, one of another business is reported as not found. */
export async function getMessage(deps: Deps, input: { messageId: string; businessId?: string }, query: PrismaQuery = {}): Promise<Message> {
  const message = isUuid(input.messageId)
    ? ((await deps.prisma.message.findFirst({ ...(query as object), where: { id: input.messageId, ...(input.businessId ? { businessId: input.businessId } : {}) } })) as Message | null)
    : null;
  if (!message) throw new NotFoundError('MESSAGE_NOT_FOUND', `No message ${JSON.stringify(input.messageId)}${input.businessId ? ` in business ${JSON.stringify(input.businessId)}` : ''}.`);
  return message;
}

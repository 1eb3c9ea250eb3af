// A small, fully known inbox built through the domain's own write path (appendMessage), so the
// summaries the lists read are the ones production keeps.
import type { Deps } from '../../src/domain/deps.js';
import { findOrCreateClient } from '../../src/domain/clients/findOrCreateClient.js';
import { createOrGetConversation } from '../../src/domain/conversations/createOrGetConversation.js';
import { appendMessage } from '../../src/domain/messages/appendMessage.js';
import { runTransaction } from '../../src/db/transaction.js';

export interface MessageSpec {
  channel?: 'sms' | 'email' | 'voice' | 'note';
  direction: 'inbound' | 'outbound' | 'internal';
  body: string;
  subject?: string;
  minutesAgo: number;
  requestId?: string;
  seen?: boolean;
}

export interface ConversationSpec {
  client: { firstName: string; lastName: string; phone: string; email?: string; type?: string; groups?: string[] };
  location?: 0 | 1;
  messages: MessageSpec[];
}

export async function buildInbox(deps: Deps, businessId: string, conversations: ConversationSpec[]) {
  const now = Date.now();
  await deps.prisma.business.create({ data: { id: businessId, name: `Inbox ${businessId}` } });
  const locations = [await deps.prisma.location.create({ data: { businessId, name: 'Alpha', smsPhoneNumber: null } }), await deps.prisma.location.create({ data: { businessId, name: 'Beta' } })];
  const staff = [
    await deps.prisma.staff.create({ data: { businessId, firstName: 'Maya', lastName: 'Lopez', email: 'maya@x.test' } }),
    await deps.prisma.staff.create({ data: { businessId, firstName: 'Jonas', lastName: 'Berg' } }),
    await deps.prisma.staff.create({ data: { businessId, firstName: 'Old', lastName: 'Timer', active: false } }),
  ];
  const built: { conversationId: string; clientId: string; messageIds: string[] }[] = [];
  for (const spec of conversations) {
    const out = await runTransaction(deps, async (tx) => {
      const { client } = await findOrCreateClient(tx, { businessId, phone: spec.client.phone, ...(spec.client.email ? {} : {}) });
      await tx.prisma.client.update({
        where: { id: client.id },
        data: {
          firstName: spec.client.firstName,
          lastName: spec.client.lastName,
          emails: spec.client.email ? [spec.client.email] : [],
          type: spec.client.type ?? null,
          groups: spec.client.groups ?? [],
        },
      });
      const { conversation } = await createOrGetConversation(tx, { businessId, clientId: client.id, locationId: locations[spec.location ?? 0]!.id });
      const messageIds: string[] = [];
      for (const m of spec.messages) {
        const at = new Date(now - m.minutesAgo * 60_000);
        const message = await appendMessage(tx, {
          businessId,
          conversationId: conversation.id,
          clientId: client.id,
          locationId: conversation.locationId,
          channel: m.channel ?? 'sms',
          direction: m.direction,
          status: m.direction === 'inbound' ? 'received' : m.direction === 'internal' ? 'recorded' : 'delivered',
          body: m.body,
          subject: m.subject ?? null,
          createdAt: at,
          requestId: m.requestId ?? null,
          seenAt: m.seen ? at : null,
        });
        messageIds.push(message.id);
      }
      return { conversationId: conversation.id, clientId: client.id, messageIds };
    });
    built.push(out);
  }
  return { locations, staff, conversations: built };
}

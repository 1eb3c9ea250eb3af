import type { Deps } from '../deps.js';
import { createOrGetConversation } from '../conversations/createOrGetConversation.js';
import { appendMessage } from '../messages/appendMessage.js';
import { runTransaction } from '../../db/transaction.js';

export const DEMO_BUSINESS_ID = 'demo';

const LOCATIONS = [
  { externalId: 'downtown', name: 'Downtown Spa', timeZone: 'America/New_York', smsPhoneNumber: '+15005550006', emailFrom: 'downtown@demo.omega.local' },
  { externalId: 'uptown', name: 'Uptown Studio', timeZone: 'America/New_York', smsPhoneNumber: '+15005550007', emailFrom: 'uptown@demo.omega.local' },
] as const;

const STAFF = [
  { externalId: 'st-1', firstName: 'Maya', lastName: 'Lopez', email: 'maya@demo.omega.local', role: 'manager' },
  { externalId: 'st-2', firstName: 'Jonas', lastName: 'Berg', email: 'jonas@demo.omega.local', role: 'stylist' },
  { externalId: 'st-3', firstName: 'Aiko', lastName: 'Tanaka', email: 'aiko@demo.omega.local', role: 'front-desk' },
] as const;

const CLIENTS = [
  { externalId: 'cl-1', firstName: 'Olivia', lastName: 'Smith', phone: '+14155550101', email: 'olivia@example.com', type: 'member', groups: ['vip'] },
  { externalId: 'cl-2', firstName: 'Liam', lastName: 'Johnson', phone: '+14155550102', email: 'liam@example.com', type: 'member', groups: [] },
  { externalId: 'cl-3', firstName: 'Emma', lastName: 'Brown', phone: '+14155550103', email: 'emma@example.com', type: 'guest', groups: ['new'] },
  { externalId: 'cl-4', firstName: 'Noah', lastName: 'Davis', phone: '+14155550104', email: 'noah@example.com', type: 'guest', groups: [] },
  { externalId: 'cl-5', firstName: 'Ava', lastName: 'Miller', phone: '+14155550105', email: 'ava@example.com', type: 'member', groups: ['vip', 'pilates'] },
] as const;

/** [client index, location index, inbound text, reply or null, minutes ago] */
const THREADS: [number, number, string, string | null, number][] = [
  [0, 0, 'Hi! Can I move my massage to Friday at 3pm?', 'Of course, Olivia. You are booked for Friday 3pm.', 180],
  [1, 0, 'Do you have any openings tomorrow morning?', null, 45],
  [2, 1, 'Is parking available near the studio?', 'Yes, there is a free lot behind the building.', 1440],
  [4, 1, 'Running 10 minutes late, sorry!', null, 5],
];

/**
 * Creates the demo business once (locations, staff, clients and a few conversations with messages).
 * Returns false when it already exists: a second start changes nothing.
 */
export async function seedDemoBusiness(deps: Deps): Promise<boolean> {
  const exists = await deps.prisma.business.findUnique({ where: { id: DEMO_BUSINESS_ID }, select: { id: true } });
  if (exists) return false;
  const now = deps.clock.now().getTime();
  await runTransaction(deps, async (tx) => {
    await tx.prisma.business.create({
      data: { id: DEMO_BUSINESS_ID, name: 'Omega Demo Spa', timeZone: 'America/New_York', settings: { quietHours: { start: '21:00', end: '08:00' } } },
    });
    const locations = await Promise.all(LOCATIONS.map((l) => tx.prisma.location.create({ data: { ...l, businessId: DEMO_BUSINESS_ID } })));
    const locationIds = locations.map((l) => l.id);
    await tx.prisma.staff.createMany({ data: STAFF.map((s) => ({ ...s, businessId: DEMO_BUSINESS_ID, locationIds })) });
    const clients = await Promise.all(
      CLIENTS.map((c, i) =>
        tx.prisma.client.create({
          data: {
            businessId: DEMO_BUSINESS_ID,
            externalId: c.externalId,
            firstName: c.firstName,
            lastName: c.lastName,
            phones: [c.phone],
            emails: [c.email],
            type: c.type,
            groups: [...c.groups],
            homeLocationId: locationIds[i % locationIds.length]!,
          },
        }),
      ),
    );
    for (const [ci, li, text, reply, minutesAgo] of THREADS) {
      const client = clients[ci]!;
      const location = locations[li]!;
      const inboundAt = new Date(now - minutesAgo * 60_000);
      const replyAt = new Date(inboundAt.getTime() + 4 * 60_000);
      const { conversation } = await createOrGetConversation(tx, { businessId: DEMO_BUSINESS_ID, clientId: client.id, locationId: location.id });
      const base = { businessId: DEMO_BUSINESS_ID, conversationId: conversation.id, clientId: client.id, locationId: location.id, channel: 'sms' as const, provider: 'sandbox' };
      await appendMessage(tx, {
        ...base,
        direction: 'inbound',
        status: 'received',
        body: text,
        fromAddress: client.phones[0]!,
        toAddress: location.smsPhoneNumber,
        createdAt: inboundAt,
        seenAt: reply ? replyAt : null,
      });
      if (reply) {
        await appendMessage(tx, {
          ...base,
          direction: 'outbound',
          status: 'delivered',
          body: reply,
          fromAddress: location.smsPhoneNumber,
          toAddress: client.phones[0]!,
          createdAt: replyAt,
          sentAt: replyAt,
          deliveredAt: replyAt,
        });
      }
    }
  });
  return true;
}

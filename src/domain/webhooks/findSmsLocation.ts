import type { Tx } from '../../db/tx.js';
import { selectServiceLocation } from '../../db/sql/selectServiceLocation.js';

export interface RoutedLocation {
  locationId: string;
  businessId: string;
  /** How it was found: the receiving number, or the messaging service of a pooled number. */
  via: 'number' | 'messaging_service';
}

/**
 * The location an inbound SMS (or call) is for. First by the receiving number (To =
 * Location.smsPhoneNumber, unique). Numbers of a messaging service's pool are not stored on any
 * location, so the MessagingServiceSid is the fallback; when several locations share one service,
 * the sender's latest conversation decides, then the sender's home location, then the oldest location.
 */
export async function findSmsLocation(tx: Tx, input: { to: string | null; messagingServiceSid: string | null; from: string | null }): Promise<RoutedLocation | null> {
  if (input.to) {
    const byNumber = await tx.prisma.location.findUnique({ where: { smsPhoneNumber: input.to }, select: { id: true, businessId: true } });
    if (byNumber) return { locationId: byNumber.id, businessId: byNumber.businessId, via: 'number' };
  }
  if (!input.messagingServiceSid) return null;
  const row = await selectServiceLocation(tx.sql, input.messagingServiceSid, input.from);
  return row ? { locationId: row.id, businessId: row.business_id, via: 'messaging_service' } : null;
}

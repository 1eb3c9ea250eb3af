import type { MessageStatus } from '../../generated/prisma/enums.js';

// The delivery status machine of an outbound message, the one place its rules live:
//
//   scheduled -> queued -> sending -> sent -> delivered -> read
//        \___________\_________\________\_____> failed | undelivered | canceled   (terminal)
//
// - a status only moves forward along the chain (skipping steps is fine: queued -> delivered);
// - a failure is terminal, and can only replace a status before `delivered` (a late "failed" never
//   undoes a delivery); `delivered` may still become `read`;
// - inbound (`received`) and note (`recorded`) statuses are not part of it.
// Two deliberate exceptions live elsewhere and say so: the worker puts a message back to `queued`
// after a transient error (deliverMessage), and retryMessage re-queues a failed one.

const CHAIN: readonly MessageStatus[] = ['scheduled', 'queued', 'sending', 'sent', 'delivered', 'read'];
const FAILURES: readonly MessageStatus[] = ['failed', 'undelivered', 'canceled'];

export const ALL_STATUSES: readonly MessageStatus[] = [...CHAIN, ...FAILURES, 'received', 'recorded'];

/** May a message in status `from` move to `to`? Same status: no (a repeated report changes nothing). */
export function canTransition(from: MessageStatus, to: MessageStatus): boolean {
  const fromRank = CHAIN.indexOf(from);
  if (fromRank < 0) return false; // terminal failures, received, recorded
  if (FAILURES.includes(to)) return fromRank < CHAIN.indexOf('delivered');
  const toRank = CHAIN.indexOf(to);
  return toRank > fromRank;
}

/** Every status from which `to` may be reached: what SQL guards use (`status = ANY(...)`). */
export function statusesBefore(to: MessageStatus): MessageStatus[] {
  return ALL_STATUSES.filter((from) => canTransition(from, to));
}

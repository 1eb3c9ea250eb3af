import type { Location } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import { NotFoundError, ValidationError, type FieldIssue } from '../errors.js';
import { assertUuid } from '../ids.js';
import { publishInboxEvent } from '../inbox/publishInboxEvent.js';
import type { PrismaQuery } from '../prismaQuery.js';
import { runTransaction } from '../../db/transaction.js';

export const AUTO_ASSIGN_CAPACITY = { min: 1, max: 1000 } as const;

/**
 * Turns a location's auto-assignment on or off and sets its capacity: the most open conversations a
 * staff member may hold (at every location) and still be auto-assigned one here. Fields left out
 * stay as they are. Applies to inbound messages from the next one on; nothing already in the inbox
 * is reassigned.
 */
export async function updateAutoAssignment(
  deps: Deps,
  input: { businessId: string; locationId: string; autoAssign?: boolean; autoAssignCapacity?: number },
  query: PrismaQuery = {},
): Promise<Location> {
  assertUuid(input.locationId, ['locationId']);
  const issues: FieldIssue[] = [];
  if (input.autoAssign === undefined && input.autoAssignCapacity === undefined) {
    issues.push({ type: 'missing', loc: ['autoAssign'], msg: 'Give at least one of auto_assign, auto_assign_capacity' });
  }
  const capacity = input.autoAssignCapacity;
  if (capacity !== undefined && (!Number.isSafeInteger(capacity) || capacity < AUTO_ASSIGN_CAPACITY.min || capacity > AUTO_ASSIGN_CAPACITY.max)) {
    issues.push({ type: 'value_error', loc: ['autoAssignCapacity'], msg: `must be a whole number from ${AUTO_ASSIGN_CAPACITY.min} to ${AUTO_ASSIGN_CAPACITY.max}`, input: capacity });
  }
  if (issues.length) throw new ValidationError(issues);
  return runTransaction(deps, async (tx) => {
    const data = { ...(input.autoAssign !== undefined ? { autoAssign: input.autoAssign } : {}), ...(capacity !== undefined ? { autoAssignCapacity: capacity } : {}) };
    const { count } = await tx.prisma.location.updateMany({ where: { id: input.locationId, businessId: input.businessId }, data });
    if (count === 0) throw new NotFoundError('LOCATION_NOT_FOUND', `No location ${input.locationId} in business ${JSON.stringify(input.businessId)}.`);
    const location = await tx.prisma.location.findUniqueOrThrow({ where: { id: input.locationId } });
    await publishInboxEvent(tx.sql, {
      businessId: input.businessId,
      type: 'location.updated',
      payload: { locationId: input.locationId, change: 'auto_assignment', autoAssign: location.autoAssign, autoAssignCapacity: location.autoAssignCapacity },
    });
    return Object.keys(query).length ? ((await tx.prisma.location.findUniqueOrThrow({ ...(query as object), where: { id: input.locationId } })) as Location) : location;
  });
}

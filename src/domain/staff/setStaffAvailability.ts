import type { Staff, StaffAvailability } from '../../generated/prisma/client.js';
import { actingStaffId, type Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { assertOptionalUuid } from '../ids.js';
import { publishInboxEvent } from '../inbox/publishInboxEvent.js';
import type { PrismaQuery } from '../prismaQuery.js';
import { runTransaction } from '../../db/transaction.js';

/**
 * A staff member's availability for auto-assignment: `online` (the default) or `away`. A session
 * sets its own staff member's (naming another is 403 STAFF_FORBIDDEN); an API key names the staff
 * member. Availability is what the staff member says, not whether a browser of theirs is connected:
 * it survives a closed laptop lid and a phone in a pocket, and is the same in every process.
 */
export async function setStaffAvailability(
  deps: Deps,
  input: { principal: Principal | null; businessId: string; staffId?: string | null; availability: StaffAvailability },
  query: PrismaQuery = {},
): Promise<Staff> {
  assertOptionalUuid(input.staffId, ['staffId']);
  const staffId = actingStaffId(input.principal, input.staffId);
  if (!staffId) throw new ValidationError([{ type: 'missing', loc: ['staffId'], msg: 'Name the staff member (an API key acts as no staff member of its own)' }]);
  return runTransaction(deps, async (tx) => {
    const before = await tx.prisma.staff.findFirst({ where: { id: staffId, businessId: input.businessId }, select: { availability: true } });
    if (!before) throw new NotFoundError('STAFF_NOT_FOUND', `No staff member ${staffId} in business ${JSON.stringify(input.businessId)}.`);
    if (before.availability !== input.availability) {
      await tx.prisma.staff.update({ where: { id: staffId }, data: { availability: input.availability, availabilityChangedAt: deps.clock.now() } });
      await publishInboxEvent(tx.sql, {
        businessId: input.businessId,
        type: 'staff.updated',
        payload: { staffId, change: 'availability', availability: input.availability, previousAvailability: before.availability },
      });
    }
    return (await tx.prisma.staff.findUniqueOrThrow({ ...(query as object), where: { id: staffId } })) as Staff;
  });
}

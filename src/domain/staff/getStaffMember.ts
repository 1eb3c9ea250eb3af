import type { Staff } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { isUuid } from '../ids.js';
import type { PrismaQuery } from '../prismaQuery.js';

/** A staff member by Omega id or, failing that, by the business's own external id. */
export async function getStaffMember(deps: Deps, input: { businessId?: string; staffId: string }, query: PrismaQuery = {}): Promise<Staff> {
  const where = isUuid(input.staffId)
    ? { id: input.staffId, ...(input.businessId ? { businessId: input.businessId } : {}) }
    : input.businessId
      ? { businessId: input.businessId, externalId: input.staffId }
      : null;
  const staff = where ? ((await deps.prisma.staff.findFirst({ ...(query as object), where })) as Staff | null) : null;
  if (!staff) throw new NotFoundError('STAFF_NOT_FOUND', `No staff member ${JSON.stringify(input.staffId)}${input.businessId ? ` in business ${JSON.stringify(input.businessId)}` : ''}.`);
  return staff;
}

import { DEMO_BUSINESS_ID } from '../businesses/seedDemoBusiness.js';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { assertUuid } from '../ids.js';
import type { SignedIn } from './redeemSignInLink.js';
import { startSession } from './startSession.js';
import { staffName } from '../staff/staffName.js';

/**
 * Signs in as an active staff member of the demo business, without a credential: the one-click
 * sign-in of the embedded demo. Only ever the demo business; the caller decides that the demo
 * applies (rest-compat/sign-in.ts: embedded database, loopback HOST and request).
 */
export async function demoSignIn(deps: Deps, input: { staffId: string; userAgent?: string | null }): Promise<SignedIn> {
  const staffId = assertUuid(input.staffId, ['staffId']);
  const staff = await deps.prisma.staff.findFirst({ where: { id: staffId, businessId: DEMO_BUSINESS_ID, active: true }, select: { id: true, firstName: true, lastName: true } });
  if (!staff) throw new NotFoundError('STAFF_NOT_FOUND', `The demo business has no active staff member ${JSON.stringify(staffId)}.`);
  const session = await startSession(deps, deps.prisma, { businessId: DEMO_BUSINESS_ID, staffId: staff.id, apiKeyId: null, ttlSeconds: deps.auth.signInSessionTtlSeconds, userAgent: input.userAgent });
  return { ...session, staffName: staffName(staff) };
}

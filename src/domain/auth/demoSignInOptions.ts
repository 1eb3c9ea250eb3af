import { DEMO_BUSINESS_ID } from '../businesses/seedDemoBusiness.js';
import type { Deps } from '../deps.js';
import { staffName } from '../staff/staffName.js';

export interface DemoSignInOptions {
  businessId: string;
  businessName: string;
  staff: { id: string; name: string; role: string | null }[];
}

/** Who one may sign in as in the embedded demo: the demo business's active staff (null when it was not seeded). */
export async function demoSignInOptions(deps: Deps): Promise<DemoSignInOptions | null> {
  const business = await deps.prisma.business.findUnique({
    where: { id: DEMO_BUSINESS_ID },
    select: { id: true, name: true, staff: { where: { active: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true, firstName: true, lastName: true, role: true } } },
  });
  if (!business) return null;
  return { businessId: business.id, businessName: business.name, staff: business.staff.map((s) => ({ id: s.id, name: staffName(s), role: s.role })) };
}

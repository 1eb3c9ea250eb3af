import { isNationalPhone, type PhoneRegion } from '../contacts/normalizePhone.js';
import type { Deps } from '../deps.js';
import { parseBusinessSettings } from './parseBusinessSettings.js';

/**
 * The country a business's staff write national phone numbers in: its phoneRegion setting, else
 * the deployment's (OMEGA_DEFAULT_PHONE_REGION). The business is read only when one of `numbers`
 * is national: "+44…" and "0044…" read the same everywhere, so most sends cost no extra query.
 */
export async function phoneRegionFor(deps: Deps, businessId: string, numbers: readonly (string | null | undefined)[]): Promise<PhoneRegion> {
  if (!numbers.some((n) => n != null && isNationalPhone(n))) return deps.phoneRegion;
  const business = await deps.prisma.business.findUnique({ where: { id: businessId }, select: { settings: true } });
  return parseBusinessSettings(business?.settings).phoneRegion ?? deps.phoneRegion;
}

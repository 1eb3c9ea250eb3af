import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import type { PrismaQuery } from '../prismaQuery.js';
import type { OnboardingView } from './onboardBusiness.js';
import { STEP_PUBLIC_FIELDS } from './stepFields.js';

/**
 * A business's onboarding: its overall status and every background step with its status, attempts,
 * error and result. BUSINESS_NOT_FOUND for an unknown business, ONBOARDING_NOT_FOUND for a business
 * that was created another way (e.g. the demo seed).
 */
export async function getOnboardingStatus(deps: Deps, businessId: string, query: PrismaQuery = {}): Promise<OnboardingView> {
  const shape = query.select || query.include ? query : { include: { steps: { select: STEP_PUBLIC_FIELDS, orderBy: [{ createdAt: 'asc' as const }, { name: 'asc' as const }] } } };
  const [business, onboarding] = await Promise.all([
    deps.prisma.business.findUnique({ where: { id: businessId }, select: { id: true } }),
    deps.prisma.onboarding.findUnique({ ...(shape as object), where: { businessId } }),
  ]);
  if (!business) throw new NotFoundError('BUSINESS_NOT_FOUND', `No business with id ${JSON.stringify(businessId)}.`);
  if (!onboarding) throw new NotFoundError('ONBOARDING_NOT_FOUND', `Business ${JSON.stringify(businessId)} was not onboarded through POST /business/onboard; onboard it to set up its senders.`);
  return onboarding as OnboardingView;
}

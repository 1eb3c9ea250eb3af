import type { ClaimedStep } from '../../db/sql/claimOnboardingStep.js';
import type { Deps } from '../deps.js';

/**
 * Registers a business's sending domain with the email provider (the email_domain step) and keeps
 * its verification state in email_domains. Registration succeeds before DNS is published: the step
 * succeeds with the records to publish and `verified: false`; onboarding again (or retrying the
 * step) asks the provider to check again and records the new state.
 */
export async function setUpEmailDomain(deps: Deps, step: ClaimedStep): Promise<Record<string, unknown>> {
  const { domain } = step.input as { domain: string };
  const registrar = deps.provisioning.emailDomains;
  const provider = registrar.mode === 'live' ? 'resend' : 'sandbox';
  const known = await deps.prisma.emailDomain.findUnique({ where: { businessId_domain: { businessId: step.business_id, domain } } });
  const state = known?.providerDomainId && known.provider === provider ? await registrar.refresh(known.providerDomainId) : await registrar.register(domain);
  const verified = state.status === 'verified';
  const fields = {
    provider,
    providerDomainId: state.providerDomainId,
    status: state.status,
    records: state.records as object[],
    region: state.region,
    verifiedAt: verified ? (known?.verifiedAt ?? deps.clock.now()) : null,
  };
  await deps.prisma.emailDomain.upsert({
    where: { businessId_domain: { businessId: step.business_id, domain } },
    create: { businessId: step.business_id, domain, ...fields },
    update: fields,
  });
  return {
    domain,
    provider,
    providerDomainId: state.providerDomainId,
    status: state.status,
    verified,
    records: state.records,
    ...(registrar.mode === 'sandbox'
      ? { sandbox: true, note: 'Sandbox: Resend is not configured (RESEND_API_KEY unset), so the domain was not registered anywhere and counts as verified locally.' }
      : { sandbox: false, ...(verified ? {} : { note: 'Publish these DNS records, then onboard again (or retry this step) to refresh the verification state.' }) }),
  };
}

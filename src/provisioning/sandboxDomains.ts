// Sending domains without Resend credentials: nothing leaves the machine and every domain counts as
// verified (the sandbox email channel delivers locally, so there is no DNS to check).
import { createHash } from 'node:crypto';
import type { EmailDomainRegistrar, EmailDomainState } from './types.js';

export function createSandboxDomains(): EmailDomainRegistrar {
  const state = (domain: string, id = `sandbox_${createHash('sha256').update(domain).digest('hex').slice(0, 24)}`): EmailDomainState => ({
    providerDomainId: id,
    domain,
    status: 'verified',
    records: [],
    region: null,
  });
  return {
    mode: 'sandbox',
    register: async (domain) => state(domain.toLowerCase()),
    refresh: async (id) => state('', id),
  };
}

// Live sending-domain registration through the resend SDK, which answers { data, error } instead
// of throwing.
import { Resend } from 'resend';
import { ProviderError, type EmailDomainRegistrar, type EmailDomainState } from './types.js';

interface ResendError {
  name?: string;
  message?: string;
  statusCode?: number | null;
}

const RETRYABLE = new Set(['rate_limit_exceeded', 'application_error', 'internal_server_error', 'concurrent_idempotent_requests']);

function classify(error: ResendError, action: string): ProviderError {
  const status = error.statusCode ?? undefined;
  const retryable = status === undefined || status === 429 || status >= 500 || RETRYABLE.has(error.name ?? '');
  const code = `RESEND_${(error.name ?? 'error').toUpperCase()}`;
  return new ProviderError('resend', code, `Resend refused to ${action}: ${error.message ?? 'no detail'}`, retryable);
}

interface DomainData {
  id: string;
  name: string;
  status: string;
  records?: unknown[];
  region?: string | null;
}

const toState = (d: DomainData): EmailDomainState => ({
  providerDomainId: d.id,
  domain: d.name,
  status: d.status,
  records: d.records ?? [],
  region: d.region ?? null,
});

export function createResendDomains(apiKey: string): EmailDomainRegistrar {
  const resend = new Resend(apiKey);
  const call = async <T>(action: string, fn: () => Promise<{ data: T | null; error: ResendError | null }>): Promise<T> => {
    let result: { data: T | null; error: ResendError | null };
    try {
      result = await fn();
    } catch (err) {
      throw new ProviderError('resend', 'RESEND_UNREACHABLE', `Resend could not be reached to ${action}: ${String(err)}`, true, { cause: err });
    }
    if (result.error || !result.data) throw classify(result.error ?? {}, action);
    return result.data;
  };

  const refresh = async (id: string): Promise<EmailDomainState> => {
    const domain = await call(`read domain ${id}`, () => resend.domains.get(id));
    if (domain.status !== 'verified') {
      // Asks Resend to check the DNS records again; the outcome shows on a later refresh.
      await call(`verify domain ${id}`, () => resend.domains.verify(id));
    }
    return toState(domain);
  };

  return {
    mode: 'live',
    async register(name) {
      try {
        const created = await call(`register domain ${name}`, () => resend.domains.create({ name }));
        if (created.status !== 'verified') await call(`verify domain ${name}`, () => resend.domains.verify(created.id));
        return toState(created);
      } catch (err) {
        // Registered earlier (by us or by hand): adopt the existing domain instead of failing.
        if (!(err instanceof ProviderError) || err.code !== 'RESEND_VALIDATION_ERROR' || !/already|registered|exists/i.test(err.message)) throw err;
        const list = await call('list domains', () => resend.domains.list());
        const existing = list.data.find((d) => d.name.toLowerCase() === name.toLowerCase());
        if (!existing) throw err;
        return refresh(existing.id);
      }
    },
    refresh,
  };
}

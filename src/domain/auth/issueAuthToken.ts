import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { assertUuid } from '../ids.js';
import { assertApiKey, assertBusinessAccess, type Principal } from './principal.js';
import { startSession, type StartedSession } from './startSession.js';

export interface IssueAuthTokenInput {
  principal: Principal | null;
  businessId: string;
  /** Omega's id of the staff member; or staffExternalId (the business's own id). */
  staffId?: string | null;
  staffExternalId?: string | null;
  /** Shorter than the configured lifetime if given; never longer. */
  ttlSeconds?: number | null;
  userAgent?: string | null;
}

export type IssuedAuthToken = StartedSession;

/**
 * A short-lived token for a staff member of a business, backed by a Session row. Only API keys mint
 * tokens: a business key for its own staff, a service key for any business's.
 */
export async function issueAuthToken(deps: Deps, input: IssueAuthTokenInput): Promise<IssuedAuthToken> {
  const principal = assertApiKey(input.principal);
  assertBusinessAccess(principal, input.businessId);
  const maxTtl = deps.auth.tokenTtlSeconds;
  const ttl = input.ttlSeconds ?? maxTtl;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > maxTtl) {
    throw new ValidationError([{ type: 'value_error', loc: ['ttlSeconds'], msg: `must be a whole number of seconds from 1 to ${maxTtl} (OMEGA_TOKEN_TTL_SECONDS)`, input: ttl }]);
  }
  if ((input.staffId == null) === (input.staffExternalId == null)) {
    throw new ValidationError([{ type: 'value_error', loc: ['staffId'], msg: 'give exactly one of staff_id (Omega id) or staff_external_id (your id)', input: input.staffId ?? null }]);
  }
  const where = input.staffId != null ? { id: assertUuid(input.staffId, ['staffId']), businessId: input.businessId } : { businessId: input.businessId, externalId: input.staffExternalId! };
  const staff = await deps.prisma.staff.findFirst({ where, select: { id: true, active: true } });
  if (!staff) {
    throw new NotFoundError('STAFF_NOT_FOUND', `Business ${JSON.stringify(input.businessId)} has no staff member ${JSON.stringify(input.staffId ?? input.staffExternalId)}.`);
  }
  if (!staff.active) {
    throw new ConflictError('STAFF_INACTIVE', `Staff member ${staff.id} is not active; reactivate them before issuing a token.`);
  }
  return startSession(deps, deps.prisma, { businessId: input.businessId, staffId: staff.id, apiKeyId: principal.apiKeyId, ttlSeconds: ttl, userAgent: input.userAgent });
}

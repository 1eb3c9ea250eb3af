import { revokeSessions } from '../../db/sql/revokeSessions.js';
import type { Deps } from '../deps.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { assertUuid } from '../ids.js';
import { requirePrincipal, type Principal } from './principal.js';

export interface ExpireSessionsInput {
  principal: Principal | null;
  /** One session; a session token may name only itself (or nothing, meaning itself). */
  sessionId?: string | null;
  /** Every session of this staff member (API keys only). */
  staffId?: string | null;
}

export interface ExpiredSessions {
  /** Sessions revoked by this call (empty when they were already revoked or expired). */
  sessionIds: string[];
}

/**
 * Revokes sessions: a session token revokes itself; an API key revokes a named session or all of a
 * staff member's, within its own business for a business key (others' answer 404, revealing
 * nothing), anywhere for a service key. Revoked tokens answer 401 at once on every surface, and open
 * graphql-ws connections that used them are closed.
 */
export async function expireSessions(deps: Deps, input: ExpireSessionsInput): Promise<ExpiredSessions> {
  const principal = requirePrincipal(input.principal);
  if (principal.kind === 'session') {
    if ((input.sessionId != null && input.sessionId !== principal.sessionId) || input.staffId != null) {
      throw new ForbiddenError('SESSION_SCOPE', 'A session token can only expire its own session; use an API key to expire other sessions.');
    }
    return { sessionIds: await revokeSessions(deps.sql, { sessionId: principal.sessionId }) };
  }
  if ((input.sessionId == null) === (input.staffId == null)) {
    throw new ValidationError([{ type: 'value_error', loc: ['sessionId'], msg: 'with an API key, give exactly one of session_id or staff_id', input: input.sessionId ?? null }]);
  }
  const businessId = principal.kind === 'business' ? principal.businessId : undefined;
  if (input.sessionId != null) {
    const sessionId = assertUuid(input.sessionId, ['sessionId']);
    const session = await deps.prisma.session.findFirst({ where: { id: sessionId, ...(businessId ? { businessId } : {}) }, select: { id: true } });
    if (!session) throw new NotFoundError('SESSION_NOT_FOUND', `No session ${JSON.stringify(sessionId)} that these credentials can expire.`);
    return { sessionIds: await revokeSessions(deps.sql, { sessionId, businessId }) };
  }
  const staffId = assertUuid(input.staffId!, ['staffId']);
  const staff = await deps.prisma.staff.findFirst({ where: { id: staffId, ...(businessId ? { businessId } : {}) }, select: { id: true } });
  if (!staff) throw new NotFoundError('STAFF_NOT_FOUND', `No staff member ${JSON.stringify(staffId)} that these credentials can act on.`);
  return { sessionIds: await revokeSessions(deps.sql, { staffId, businessId }) };
}

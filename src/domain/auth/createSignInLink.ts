import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { assertUuid } from '../ids.js';
import { assertApiKey, assertBusinessAccess, type Principal } from './principal.js';
import { generateSignInToken, hashSignInToken } from './signInToken.js';

export interface CreateSignInLinkInput {
  principal: Principal | null;
  /** Optional: a business key's own business, or (service key) any staff member's. */
  businessId?: string | null;
  staffId: string;
  /** Shorter than OMEGA_SIGN_IN_LINK_TTL_SECONDS if given; never longer. */
  ttlSeconds?: number | null;
}

export interface SignInLink {
  /** The web app's sign-in page with the token in its fragment (never sent to a server by a browser). */
  url: string;
  expiresAt: Date;
  staffId: string;
  businessId: string;
}

/**
 * A single-use sign-in link for one staff member: opening it signs the browser in as them (a
 * session cookie, redeemSignInLink). Only API keys mint links: a business key for its own staff
 * (another business's staff member is not found, as everywhere), a service key for any. The staff
 * member must be active.
 */
export async function createSignInLink(deps: Deps, input: CreateSignInLinkInput): Promise<SignInLink> {
  const principal = assertApiKey(input.principal);
  const businessId = input.businessId ?? (principal.kind === 'business' ? principal.businessId : null);
  if (businessId !== null) assertBusinessAccess(principal, businessId);
  const maxTtl = deps.auth.signInLinkTtlSeconds;
  const ttl = input.ttlSeconds ?? maxTtl;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > maxTtl) {
    throw new ValidationError([{ type: 'value_error', loc: ['ttlSeconds'], msg: `must be a whole number of seconds from 1 to ${maxTtl} (OMEGA_SIGN_IN_LINK_TTL_SECONDS)`, input: ttl }]);
  }
  const staffId = assertUuid(input.staffId, ['staffId']);
  const staff = await deps.prisma.staff.findFirst({ where: { id: staffId, ...(businessId !== null ? { businessId } : {}) }, select: { id: true, businessId: true, active: true } });
  if (!staff) {
    throw new NotFoundError('STAFF_NOT_FOUND', `No staff member ${JSON.stringify(staffId)}${businessId !== null ? ` in business ${JSON.stringify(businessId)}` : ''}.`);
  }
  if (!staff.active) throw new ConflictError('STAFF_INACTIVE', `Staff member ${staff.id} is not active; reactivate them before sending a sign-in link.`);
  const token = generateSignInToken();
  const expiresAt = new Date(deps.clock.now().getTime() + ttl * 1000);
  await deps.prisma.signInLink.create({
    data: { tokenHash: hashSignInToken(token)!, businessId: staff.businessId, staffId: staff.id, apiKeyId: principal.apiKeyId, expiresAt },
    select: { id: true },
  });
  return { url: `${deps.auth.signInPageUrl}#token=${token}`, expiresAt, staffId: staff.id, businessId: staff.businessId };
}

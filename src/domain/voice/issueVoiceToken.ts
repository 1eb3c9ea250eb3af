import { assertBusinessAccess, requirePrincipal, type Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { ConflictError, ForbiddenError, UnavailableError, ValidationError } from '../errors.js';
import { getStaffMember } from '../staff/getStaffMember.js';
import { staffIdentity } from './staffIdentity.js';

export interface IssueVoiceTokenInput {
  principal: Principal | null;
  /** Default: the caller's own business (business keys and sessions). */
  businessId?: string | null;
  /** Omega id or external id. Default: the session's own staff member. */
  staffId?: string | null;
  /** Shorter than the configured lifetime if given; never longer. */
  ttlSeconds?: number | null;
}

export interface IssuedVoiceToken {
  token: string;
  identity: string;
  businessId: string;
  staffId: string;
  expiresAt: Date;
  ttlSeconds: number;
  outgoingApplicationSid: string;
  incomingAllowed: boolean;
  /** Signed with sandbox values: Twilio refuses it (no API key configured). */
  sandbox: boolean;
  note: string | null;
}

/**
 * A Twilio Voice access token for a staff member's browser (Twilio Voice SDK): a VoiceGrant for our
 * TwiML app (outgoing calls) with incoming calls allowed, under the identity staff_<id>, so inbound
 * calls ring the right browsers. A session may ask only for its own staff member; keys for any
 * staff member of their business. Without TWILIO_API_KEY_SID the token is signed with sandbox
 * values and says so.
 */
export async function issueVoiceToken(deps: Deps, input: IssueVoiceTokenInput): Promise<IssuedVoiceToken> {
  const principal = requirePrincipal(input.principal);
  const voice = deps.voice;
  if (!voice) throw new UnavailableError('VOICE_NOT_CONFIGURED', 'Voice is not set up in this process.');
  const businessId = input.businessId ?? (principal.kind === 'service' ? null : principal.businessId);
  if (!businessId) throw new ValidationError([{ type: 'missing', loc: ['businessId'], msg: 'Field required with a service key' }]);
  assertBusinessAccess(principal, businessId);
  const staffRef = input.staffId ?? (principal.kind === 'session' ? principal.staffId : null);
  if (!staffRef) throw new ValidationError([{ type: 'missing', loc: ['staffId'], msg: 'Field required with an API key' }]);
  const maxTtl = voice.tokenTtlSeconds;
  const ttl = input.ttlSeconds ?? maxTtl;
  if (!Number.isInteger(ttl) || ttl < 60 || ttl > maxTtl) {
    throw new ValidationError([{ type: 'value_error', loc: ['ttlSeconds'], msg: `must be a whole number of seconds from 60 to ${maxTtl} (OMEGA_VOICE_TOKEN_TTL_SECONDS)`, input: ttl }]);
  }

  // Staff of another business are "not found" in this one, whoever asks.
  const staff = await getStaffMember(deps, { businessId, staffId: staffRef }, { select: { id: true, businessId: true, active: true } });
  if (principal.kind === 'session' && principal.staffId !== staff.id) {
    throw new ForbiddenError('STAFF_FORBIDDEN', 'A session token may only get a voice token for its own staff member.');
  }
  if (!staff.active) throw new ConflictError('STAFF_INACTIVE', `Staff member ${staff.id} is not active; reactivate them before issuing a voice token.`);

  const identity = staffIdentity(staff.id);
  const { token, expiresAt } = voice.signToken(identity, ttl);
  return {
    token,
    identity,
    businessId,
    staffId: staff.id,
    expiresAt,
    ttlSeconds: ttl,
    outgoingApplicationSid: voice.twimlAppSid,
    incomingAllowed: true,
    sandbox: voice.sandbox,
    note: voice.sandbox ? 'Sandbox token: signed with placeholder values, so Twilio will refuse it. Set TWILIO_API_KEY_SID, TWILIO_API_KEY_SECRET and TWILIO_TWIML_APP_SID for live calls.' : null,
  };
}

// Voice: the browser phone's access token, and the calls of a business (the VoiceCall type itself
// lives in message.ts, next to the message each call belongs to).
import { issueVoiceToken, type IssuedVoiceToken } from '../../domain/voice/issueVoiceToken.js';
import { countVoiceCalls, listVoiceCalls, type VoiceCallFilter } from '../../domain/voice/listVoiceCalls.js';
import { builder } from '../builder.js';
import { DirectionEnum } from './enums.js';

const VoiceToken = builder.objectRef<IssuedVoiceToken>('VoiceToken').implement({
  description: "A Twilio Voice access token for a staff member's browser: `new Device(token)` in the Twilio Voice SDK.",
  fields: (t) => ({
    token: t.exposeString('token'),
    identity: t.exposeString('identity', { description: 'staff_<id without hyphens>: inbound calls ring this identity.' }),
    businessId: t.exposeString('businessId'),
    staffId: t.exposeString('staffId'),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    ttlSeconds: t.exposeInt('ttlSeconds'),
    outgoingApplicationSid: t.exposeString('outgoingApplicationSid', { description: 'The TwiML app outgoing calls go through.' }),
    incomingAllowed: t.exposeBoolean('incomingAllowed'),
    sandbox: t.exposeBoolean('sandbox', { description: 'Signed with placeholder values (no TWILIO_API_KEY_SID): Twilio refuses it.' }),
    note: t.exposeString('note', { nullable: true }),
  }),
});

const VoiceCallFilterInput = builder.inputType('VoiceCallFilterInput', {
  fields: (t) => ({
    conversationId: t.string(),
    clientId: t.string(),
    staffId: t.string(),
    direction: t.field({ type: DirectionEnum }),
    withVoicemail: t.boolean({ description: 'Only calls that left a voicemail.' }),
  }),
});

type FilterArg = { conversationId?: string | null; clientId?: string | null; staffId?: string | null; direction?: string | null; withVoicemail?: boolean | null } | null | undefined;

function toFilter(f: FilterArg): VoiceCallFilter {
  return {
    ...(f?.conversationId ? { conversationId: f.conversationId } : {}),
    ...(f?.clientId ? { clientId: f.clientId } : {}),
    ...(f?.staffId ? { staffId: f.staffId } : {}),
    ...(f?.direction === 'inbound' || f?.direction === 'outbound' ? { direction: f.direction } : {}),
    ...(f?.withVoicemail ? { withVoicemail: true } : {}),
  };
}

builder.queryFields((t) => ({
  voiceToken: t.field({
    type: VoiceToken,
    description: 'A voice access token for a staff member (a session: its own; an API key: staffId required). Staff of another business are not found.',
    args: {
      businessId: t.arg.string({ required: true }),
      staffId: t.arg.string({ description: "Omega's id or external id; default: the session's staff member." }),
      ttlSeconds: t.arg.int({ description: 'At most OMEGA_VOICE_TOKEN_TTL_SECONDS (the default).' }),
    },
    authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
    resolve: (_root, args, ctx) => issueVoiceToken(ctx.deps, { principal: ctx.principal, businessId: args.businessId, staffId: args.staffId, ttlSeconds: args.ttlSeconds }),
  }),
  voiceCalls: t.prismaConnection(
    {
      type: 'VoiceCall',
      cursor: 'id',
      description: 'Calls of a business, newest first.',
      args: { businessId: t.arg.string({ required: true }), filter: t.arg({ type: VoiceCallFilterInput }) },
      authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
      resolve: (query, _root, args, ctx) => {
        const { take, skip, cursor, ...select } = query;
        return listVoiceCalls(ctx.deps, { businessId: args.businessId, filter: toFilter(args.filter), page: { take, skip, ...(cursor ? { cursor: cursor as { id: string } } : {}) } }, select);
      },
      totalCount: (_parent, args, ctx) => countVoiceCalls(ctx.deps, { businessId: args.businessId as string, filter: toFilter(args.filter as FilterArg) }),
    },
    {},
  ),
}));

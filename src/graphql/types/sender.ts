// Senders of a business and their pacing (README "Pacing"): rates by kind, overrides, slow-downs.
import { listSenders, MAX_SENDER_RATE, MIN_SENDER_RATE, setSenderRate, type SenderView } from '../../domain/sending/pacing/senders.js';
import { builder } from '../builder.js';
import { ownedByBusiness } from '../ownedByBusiness.js';
import { ChannelEnum } from './enums.js';

const SenderKindEnum = builder.enumType('SenderKind', {
  description: 'How a sender is paced by default: long_code 1/s, toll_free 3/s, short_code 100/s, messaging_service and email as configured.',
  values: ['long_code', 'toll_free', 'short_code', 'messaging_service', 'email'] as const,
});

export const SenderRef = builder.objectRef<SenderView>('Sender').implement({
  ...ownedByBusiness((s: SenderView) => s.businessId),
  description: "A sender a business's locations send from (an SMS number, short code or messaging service; an email domain) and its pacing.",
  fields: (t) => ({
    key: t.exposeString('key', { description: '`sms:+15551234567`, `sms:MG…`, `sms:12345`, `email:example.com`.' }),
    channel: t.field({ type: ChannelEnum, resolve: (s) => s.channel }),
    kind: t.field({ type: SenderKindEnum, resolve: (s) => s.kind }),
    shared: t.exposeBoolean('shared', { description: 'The configured default sender, shared by every business: only a service key may set its rate.' }),
    locationIds: t.exposeStringList('locationIds', { description: 'The locations of this business that send from it.' }),
    defaultRate: t.exposeFloat('defaultRate', { description: "The kind's default rate (sends per second)." }),
    override: t.exposeFloat('override', { nullable: true, description: 'The override (sends per second), or null.' }),
    effectiveRate: t.exposeFloat('effectiveRate', { description: 'The rate now: the override or the default, halved per slow-down level while a slow-down lasts.' }),
    paced: t.exposeBoolean('paced', { description: 'Its sends are paced now (OMEGA_PACING; auto: live providers, or an override or slow-down).' }),
    slowLevel: t.exposeInt('slowLevel', { description: 'Slow-down after a 429 or a 30001: 0 none, n: the rate divided by 2^n.' }),
    slowUntil: t.expose('slowUntil', { type: 'DateTime', nullable: true }),
  }),
});

const SetSenderRateInput = builder.inputType('SetSenderRateInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    sender: t.string({ required: true, description: "A sender key of the business's locations (see Query.senders)." }),
    ratePerSecond: t.float({ description: `Sends per second, ${MIN_SENDER_RATE} to ${MAX_SENDER_RATE}; null or omitted: back to the default.` }),
  }),
});

builder.queryFields((t) => ({
  senders: t.field({
    type: [SenderRef],
    description: "The senders of a business's locations (their own, or the shared default where they have none), with their pacing.",
    args: { businessId: t.arg.string({ required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
    resolve: (_root, args, ctx) => listSenders(ctx.deps, { principal: ctx.principal, businessId: args.businessId }),
  }),
}));

builder.mutationFields((t) => ({
  setSenderRate: t.field({
    type: SenderRef,
    description: "Sets or removes a sender's rate override (404 SENDER_NOT_FOUND: not a sender of the business's locations; 403 SENDER_SHARED: the shared default, service keys only).",
    args: { input: t.arg({ type: SetSenderRateInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: (_root, { input }, ctx) => setSenderRate(ctx.deps, { principal: ctx.principal, businessId: input.businessId, sender: input.sender, ratePerSecond: input.ratePerSecond ?? null }),
  }),
}));

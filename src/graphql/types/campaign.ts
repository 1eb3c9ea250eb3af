// Campaigns of a business: queries, mutations and the lifecycle (src/domain/campaigns).
import { resolveCursorConnection } from '@pothos/plugin-relay';
import type { CampaignStatus } from '../../generated/prisma/enums.js';
import type { CampaignCounts } from '../../domain/campaigns/campaignEvents.js';
import type { CampaignFilters, CampaignView } from '../../domain/campaigns/campaignFields.js';
import { cancelCampaign, pauseCampaign, resumeCampaign, startCampaign } from '../../domain/campaigns/campaignLifecycle.js';
import { createCampaign } from '../../domain/campaigns/createCampaign.js';
import { deleteCampaign } from '../../domain/campaigns/deleteCampaign.js';
import {
  CAMPAIGN_STATUSES,
  campaignCounts,
  countCampaigns,
  getCampaign,
  listCampaignRecipients,
  listCampaigns,
  RECIPIENT_STATES,
  type CampaignRecipientView,
} from '../../domain/campaigns/getCampaign.js';
import { updateCampaign } from '../../domain/campaigns/updateCampaign.js';
import type { CampaignEventCounts } from '../../domain/inbox/inboxEventPayloads.js';
import { ValidationError } from '../../domain/errors.js';
import type { Principal } from '../../domain/auth/principal.js';
import type { Deps } from '../../domain/deps.js';
import { builder } from '../builder.js';
import { ownedByBusiness } from '../ownedByBusiness.js';

export const CampaignStatusEnum = builder.enumType('CampaignStatus', {
  description: 'draft -> scheduled (startCampaign with a later sendAt) -> sending <-> paused -> completed; canceled from any but completed.',
  values: CAMPAIGN_STATUSES as CampaignStatus[],
});
const CampaignChannelEnum = builder.enumType('CampaignChannel', { values: ['sms', 'email'] as const });
const RecipientStateEnum = builder.enumType('CampaignRecipientState', {
  description: 'pending: not queued yet; queued: its message exists (messageId); skipped: not sent to (reason).',
  values: RECIPIENT_STATES,
});

export const CampaignCountsRef = builder.objectRef<CampaignCounts | CampaignEventCounts>('CampaignCounts').implement({
  description: "A campaign's counts: its recipients by state and its messages by delivery status.",
  fields: (t) => ({
    recipients: t.int({ nullable: true, description: 'The audience materialised at the start (0 before).', resolve: (c) => c.recipients }),
    pending: t.int({ nullable: true, description: 'Recipients not queued yet.', resolve: (c) => c.pending }),
    queued: t.int({ nullable: true, description: 'Messages scheduled or queued.', resolve: (c) => c.queued }),
    sending: t.int({ nullable: true, resolve: (c) => c.sending }),
    sent: t.int({ nullable: true, description: 'Accepted by the provider (sent, delivered or read).', resolve: (c) => c.sent }),
    delivered: t.int({ nullable: true, resolve: (c) => c.delivered }),
    failed: t.int({ nullable: true, description: 'Failed or undelivered.', resolve: (c) => c.failed }),
    canceled: t.int({ nullable: true, resolve: (c) => c.canceled }),
    optedOut: t.int({ nullable: true, description: 'Skipped as opted out, or refused at send time because they opted out meanwhile.', resolve: (c) => c.optedOut }),
    skipped: t.int({ nullable: true, description: 'Recipients skipped for any reason (opted_out, no_address, duplicate_address, invalid, merged, canceled).', resolve: (c) => c.skipped }),
    replied: t.int({ nullable: true, description: 'Recipients whose conversation got an inbound message after the campaign message was sent.', resolve: (c) => c.replied }),
  }),
});

const CampaignRecipientRef = builder.objectRef<CampaignRecipientView>('CampaignRecipient').implement({
  ...ownedByBusiness((r: CampaignRecipientView) => r.businessId),
  fields: (t) => ({
    clientId: t.exposeString('clientId'),
    state: t.field({ type: RecipientStateEnum, resolve: (r) => r.state as (typeof RECIPIENT_STATES)[number] }),
    reason: t.exposeString('reason', { nullable: true, description: 'With skipped: opted_out, no_address, duplicate_address, invalid, merged, canceled.' }),
    messageId: t.exposeString('messageId', { nullable: true }),
    messageStatus: t.exposeString('messageStatus', { nullable: true, description: "Its message's delivery status." }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const CampaignFiltersRef = builder.objectRef<CampaignFilters>('CampaignFilters').implement({
  fields: (t) => ({
    clientTypes: t.stringList({ nullable: true, resolve: (f) => f.clientTypes ?? null }),
    groups: t.stringList({ nullable: true, resolve: (f) => f.groups ?? null }),
    labelIds: t.stringList({ nullable: true, resolve: (f) => f.labelIds ?? null }),
    homeLocationIds: t.stringList({ nullable: true, resolve: (f) => f.homeLocationIds ?? null }),
    lastContactBefore: t.field({ type: 'DateTime', nullable: true, resolve: (f) => f.lastContactBefore ?? null }),
    lastContactAfter: t.field({ type: 'DateTime', nullable: true, resolve: (f) => f.lastContactAfter ?? null }),
    optedInOnly: t.boolean({ resolve: (f) => f.optedInOnly === true }),
  }),
});

export const CampaignRef = builder.objectRef<CampaignView>('Campaign').implement({
  ...ownedByBusiness((c: CampaignView) => c.businessId),
  description: 'A campaign: one message (text or a saved reply rendered per recipient) to an audience of clients, each in its own conversation.',
  fields: (t) => ({
    id: t.exposeString('id'),
    businessId: t.exposeString('businessId'),
    name: t.exposeString('name'),
    channel: t.field({ type: CampaignChannelEnum, resolve: (c) => c.channel }),
    status: t.field({ type: CampaignStatusEnum, resolve: (c) => c.status }),
    audienceClientIds: t.stringList({ nullable: true, description: 'An explicit audience.', resolve: (c) => c.audience.clientIds ?? null }),
    audienceFilters: t.field({ type: CampaignFiltersRef, nullable: true, description: 'A filter audience.', resolve: (c) => c.audience.filters ?? null }),
    body: t.string({ nullable: true, resolve: (c) => c.content.body }),
    subject: t.string({ nullable: true, resolve: (c) => c.content.subject }),
    html: t.string({ nullable: true, resolve: (c) => c.content.html }),
    mediaUrls: t.stringList({ resolve: (c) => c.content.mediaUrls }),
    templateId: t.exposeString('templateId', { nullable: true }),
    locationId: t.exposeString('locationId', { nullable: true }),
    sendAt: t.expose('sendAt', { type: 'DateTime', nullable: true }),
    bypassQuietHours: t.exposeBoolean('bypassQuietHours'),
    audienceSize: t.exposeInt('audienceSize', { nullable: true, description: 'Recipients materialised at the start.' }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'What stopped the dispatch last (e.g. NO_SMS_SENDER); it is retried.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    pausedAt: t.expose('pausedAt', { type: 'DateTime', nullable: true }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    canceledAt: t.expose('canceledAt', { type: 'DateTime', nullable: true }),
    createdByStaffId: t.exposeString('createdByStaffId', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    progress: t.field({ type: CampaignCountsRef, description: 'Live counts (one statement).', resolve: (c, _args, ctx) => campaignCounts(ctx.deps, c.id) }),
    recipients: t.connection({
      type: CampaignRecipientRef,
      description: 'The materialised audience in client id order (forwards: first/after).',
      args: { state: t.arg({ type: RecipientStateEnum }) },
      resolve: (c, args, ctx) =>
        resolveCursorConnection<Promise<CampaignRecipientView[]>>({ args, toCursor: (r) => r.clientId }, async ({ after, before, limit, inverted }) => {
          if (inverted || before) throw new ValidationError([{ type: 'value_error', loc: ['last'], msg: 'Recipients page forwards only (first/after)' }]);
          const page = await listCampaignRecipients(ctx.deps, {
            principal: ctx.principal,
            businessId: c.businessId,
            id: c.id,
            state: args.state ?? null,
            page: { take: limit, ...(after ? { cursor: { id: after } } : {}) },
          });
          return page.items;
        }),
    }),
  }),
});

const CampaignFiltersInput = builder.inputType('CampaignFiltersInput', {
  description: 'Every filter given must hold; none: every client of the business.',
  fields: (t) => ({
    clientTypes: t.stringList({ description: 'The client type is one of these.' }),
    groups: t.stringList({ description: 'The client is in one of these groups.' }),
    labelIds: t.stringList({ description: 'One of its conversations has one of these labels.' }),
    homeLocationIds: t.stringList(),
    lastContactBefore: t.field({ type: 'DateTime', description: 'Its last message is before this (never contacted: not taken).' }),
    lastContactAfter: t.field({ type: 'DateTime', description: 'Its last message is at or after this.' }),
    optedInOnly: t.boolean({ description: 'Only clients not opted out of the channel.' }),
  }),
});

const CampaignAudienceInput = builder.inputType('CampaignAudienceInput', {
  description: 'Exactly one of clientIds (at most 10,000) or filters.',
  fields: (t) => ({
    clientIds: t.stringList(),
    filters: t.field({ type: CampaignFiltersInput }),
  }),
});

const campaignFields = (t: Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0], create: boolean) => ({
  businessId: t.string({ required: true }),
  name: t.string({ required: create, description: '1 to 200 characters.' }),
  channel: t.field({ type: CampaignChannelEnum, required: create }),
  audience: t.field({ type: CampaignAudienceInput, required: create }),
  body: t.string({ description: 'SMS text or an email plain text (a template with templateId).' }),
  subject: t.string({ description: 'Email.' }),
  html: t.string({ description: 'Email.' }),
  mediaUrls: t.stringList({ description: 'SMS, at most 10.' }),
  templateId: t.string({ description: 'A saved reply rendered for each recipient.' }),
  locationId: t.string({ description: "The sending location; omitted: each recipient's conversation's." }),
  sendAt: t.field({ type: 'DateTime', description: 'When startCampaign sends it; null: at once.' }),
  bypassQuietHours: t.boolean(),
});

const CreateCampaignInput = builder.inputType('CreateCampaignInput', { fields: (t) => campaignFields(t, true) });
const UpdateCampaignInput = builder.inputType('UpdateCampaignInput', {
  description: 'The fields given change (a draft or scheduled campaign; content fields replace the content whole).',
  fields: (t) => ({ id: t.string({ required: true }), ...campaignFields(t, false) }),
});
const CampaignIdInput = builder.inputType('CampaignIdInput', { fields: (t) => ({ businessId: t.string({ required: true }), id: t.string({ required: true }) }) });
const StartCampaignInput = builder.inputType('StartCampaignInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    id: t.string({ required: true }),
    sendAt: t.field({ type: 'DateTime', description: "Later: scheduled until then. Omitted: the campaign's sendAt, else now." }),
  }),
});

type AudienceArg = { clientIds?: string[] | null; filters?: { [k: string]: unknown } | null } | null | undefined;
function toAudience(a: AudienceArg) {
  if (!a) return undefined;
  const f = a.filters as (CampaignFilters & { lastContactBefore?: Date | null }) | null | undefined;
  return {
    clientIds: a.clientIds ?? null,
    filters: f
      ? {
          ...(f.clientTypes ? { clientTypes: f.clientTypes } : {}),
          ...(f.groups ? { groups: f.groups } : {}),
          ...(f.labelIds ? { labelIds: f.labelIds } : {}),
          ...(f.homeLocationIds ? { homeLocationIds: f.homeLocationIds } : {}),
          lastContactBefore: f.lastContactBefore ?? null,
          lastContactAfter: f.lastContactAfter ?? null,
          optedInOnly: f.optedInOnly ?? false,
        }
      : null,
  };
}

type ContentArgs = { body?: string | null; subject?: string | null; html?: string | null; mediaUrls?: string[] | null };
const hasContent = (i: ContentArgs) => i.body != null || i.subject != null || i.html != null || i.mediaUrls != null;
const toContent = (i: ContentArgs) => ({ body: i.body ?? null, subject: i.subject ?? null, html: i.html ?? null, mediaUrls: i.mediaUrls ?? [] });

builder.queryFields((t) => ({
  campaigns: t.connection({
    type: CampaignRef,
    description: "A business's campaigns, newest first, optionally of some statuses.",
    args: { businessId: t.arg.string({ required: true }), statuses: t.arg({ type: [CampaignStatusEnum] }) },
    authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
    resolve: (_root, args, ctx) =>
      resolveCursorConnection<Promise<CampaignView[]>>({ args, toCursor: (c) => c.id }, async ({ after, before, limit, inverted }) => {
        if (inverted || before) throw new ValidationError([{ type: 'value_error', loc: ['last'], msg: 'Campaigns page forwards only (first/after)' }]);
        return listCampaigns(ctx.deps, { principal: ctx.principal, businessId: args.businessId, statuses: args.statuses ?? null, page: { take: limit, ...(after ? { cursor: { id: after } } : {}) } });
      }),
  }),
  campaignCount: t.int({
    args: { businessId: t.arg.string({ required: true }), statuses: t.arg({ type: [CampaignStatusEnum] }) },
    authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
    resolve: (_root, args, ctx) => countCampaigns(ctx.deps, { principal: ctx.principal, businessId: args.businessId, statuses: args.statuses ?? null }),
  }),
  campaign: t.field({
    type: CampaignRef,
    args: { businessId: t.arg.string({ required: true }), id: t.arg.string({ required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
    resolve: (_root, args, ctx) => getCampaign(ctx.deps, { principal: ctx.principal, businessId: args.businessId, id: args.id }),
  }),
}));

const lifecycle = (
  t: Parameters<Parameters<typeof builder.mutationFields>[0]>[0],
  run: (deps: Deps, input: { principal: Principal | null; businessId: string; id: string }) => Promise<CampaignView>,
  description: string,
) =>
  t.field({
    type: CampaignRef,
    description,
    args: { input: t.arg({ type: CampaignIdInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: (_root, { input }, ctx) => run(ctx.deps, { principal: ctx.principal, businessId: input.businessId, id: input.id }),
  });

builder.mutationFields((t) => ({
  createCampaign: t.field({
    type: CampaignRef,
    description: 'A new campaign, in draft.',
    args: { input: t.arg({ type: CreateCampaignInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: (_root, { input }, ctx) =>
      createCampaign(ctx.deps, {
        principal: ctx.principal,
        businessId: input.businessId,
        name: input.name ?? '',
        channel: input.channel!,
        audience: toAudience(input.audience as AudienceArg)!,
        content: toContent(input),
        templateId: input.templateId ?? null,
        locationId: input.locationId ?? null,
        sendAt: input.sendAt ?? null,
        bypassQuietHours: input.bypassQuietHours ?? false,
      }),
  }),
  updateCampaign: t.field({
    type: CampaignRef,
    description: 'Changes a draft or scheduled campaign (409 CAMPAIGN_NOT_EDITABLE otherwise).',
    args: { input: t.arg({ type: UpdateCampaignInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: (_root, { input }, ctx) =>
      updateCampaign(ctx.deps, {
        principal: ctx.principal,
        businessId: input.businessId,
        id: input.id,
        ...(input.name != null ? { name: input.name } : {}),
        ...(input.channel != null ? { channel: input.channel } : {}),
        ...(input.audience != null ? { audience: toAudience(input.audience as AudienceArg)! } : {}),
        ...(hasContent(input) ? { content: toContent(input) } : {}),
        ...(input.templateId !== undefined ? { templateId: input.templateId } : {}),
        ...(input.locationId !== undefined ? { locationId: input.locationId } : {}),
        ...(input.sendAt !== undefined ? { sendAt: input.sendAt } : {}),
        ...(input.bypassQuietHours != null ? { bypassQuietHours: input.bypassQuietHours } : {}),
      }),
  }),
  deleteCampaign: t.boolean({
    description: 'Deletes a draft (409 CAMPAIGN_NOT_DRAFT otherwise).',
    args: { input: t.arg({ type: CampaignIdInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: async (_root, { input }, ctx) => {
      await deleteCampaign(ctx.deps, { principal: ctx.principal, businessId: input.businessId, id: input.id });
      return true;
    },
  }),
  startCampaign: t.field({
    type: CampaignRef,
    description: 'Sends a draft or scheduled campaign now, or schedules it at a later sendAt (409 CAMPAIGN_NOT_STARTABLE otherwise).',
    args: { input: t.arg({ type: StartCampaignInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: (_root, { input }, ctx) =>
      startCampaign(ctx.deps, { principal: ctx.principal, businessId: input.businessId, id: input.id, ...(input.sendAt !== undefined ? { sendAt: input.sendAt } : {}) }),
  }),
  pauseCampaign: lifecycle(t, pauseCampaign, 'Pauses a sending campaign: nothing more of it goes out (409 CAMPAIGN_NOT_SENDING otherwise).'),
  resumeCampaign: lifecycle(t, resumeCampaign, 'Resumes a paused campaign (409 CAMPAIGN_NOT_PAUSED otherwise).'),
  cancelCampaign: lifecycle(t, cancelCampaign, 'Cancels a campaign: its waiting messages are canceled, nothing more goes out (409 CAMPAIGN_NOT_CANCELABLE when completed or canceled).'),
}));

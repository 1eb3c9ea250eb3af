// Campaigns of a business (Omega's own routes, beyond the index): CRUD, the lifecycle (start,
// pause, resume, cancel) and the recipients. Keys and sessions alike; another business's campaign
// is 404 on every route; a transition its status does not allow is 409 with a stable code.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type, { type Static } from 'typebox';
import type { CampaignCounts } from '../src/domain/campaigns/campaignEvents.js';
import {
  MAX_AUDIENCE_CLIENT_IDS,
  MAX_CAMPAIGN_NAME_LENGTH,
  MAX_FILTER_VALUE_LENGTH,
  MAX_FILTER_VALUES,
  type CampaignAudience,
  type CampaignContent,
  type CampaignView,
} from '../src/domain/campaigns/campaignFields.js';
import { cancelCampaign, pauseCampaign, resumeCampaign, startCampaign } from '../src/domain/campaigns/campaignLifecycle.js';
import { createCampaign } from '../src/domain/campaigns/createCampaign.js';
import { deleteCampaign } from '../src/domain/campaigns/deleteCampaign.js';
import { CAMPAIGN_STATUSES, campaignCounts, countCampaigns, getCampaign, listCampaignRecipients, listCampaigns, RECIPIENT_STATES } from '../src/domain/campaigns/getCampaign.js';
import { updateCampaign } from '../src/domain/campaigns/updateCampaign.js';
import type { Deps } from '../src/domain/deps.js';
import { EMAIL_HTML_MAX, EMAIL_SUBJECT_MAX, EMAIL_TEXT_MAX, SMS_MAX_MEDIA } from '../src/domain/sending/sendLimits.js';
import { describe } from './catalog.js';
import { pageSchema, pagingQuery, restList, restPage } from './paging.js';
import { apiKeySecurity, authErrors, businessIdParams, errorResponse, IsoDateTime, Nullable, optional, Ref, StringEnum, Uuid } from './schemas.js';

const Counts = Type.Object(
  {
    recipients: Type.Integer({ description: 'The audience materialised at the start (0 before).' }),
    pending: Type.Integer({ description: 'Recipients not queued yet.' }),
    queued: Type.Integer({ description: 'Messages scheduled or queued.' }),
    sending: Type.Integer(),
    sent: Type.Integer({ description: 'Accepted by the provider (sent, delivered or read).' }),
    delivered: Type.Integer(),
    failed: Type.Integer({ description: 'Failed or undelivered.' }),
    canceled: Type.Integer(),
    opted_out: Type.Integer({ description: 'Skipped as opted out, or refused at send time because they opted out meanwhile.' }),
    skipped: Type.Integer({ description: 'Recipients skipped for any reason.' }),
    replied: Type.Integer({ description: 'Recipients whose conversation got an inbound message after the campaign message was sent.' }),
  },
  { description: 'Live counts.' },
);

const FiltersSchema = Type.Object(
  optional({
    client_types: Type.Array(Type.String({ minLength: 1, maxLength: MAX_FILTER_VALUE_LENGTH }), { maxItems: MAX_FILTER_VALUES, description: 'The client type is one of these.' }),
    groups: Type.Array(Type.String({ minLength: 1, maxLength: MAX_FILTER_VALUE_LENGTH }), { maxItems: MAX_FILTER_VALUES, description: 'The client is in one of these groups.' }),
    label_ids: Type.Array(Uuid(), { maxItems: MAX_FILTER_VALUES, description: 'One of its conversations has one of these labels.' }),
    home_location_ids: Type.Array(Uuid(), { maxItems: MAX_FILTER_VALUES }),
    last_contact_before: IsoDateTime({ description: 'Its last message is before this (never contacted: not taken).' }),
    last_contact_after: IsoDateTime({ description: 'Its last message is at or after this.' }),
    opted_in_only: Type.Boolean({ description: 'Only clients not opted out of the channel.' }),
  }),
  { additionalProperties: false, description: 'Every filter given must hold; none: every client of the business.' },
);

const AudienceSchema = Type.Object(
  optional({
    client_ids: Type.Array(Uuid(), { minItems: 1, maxItems: MAX_AUDIENCE_CLIENT_IDS, description: `An explicit list (at most ${MAX_AUDIENCE_CLIENT_IDS}).` }),
    filters: FiltersSchema,
  }),
  { additionalProperties: false, description: 'Exactly one of client_ids or filters.' },
);

export const CampaignSchema = Type.Object(
  {
    id: Type.String(),
    business_id: Type.String(),
    name: Type.String(),
    channel: StringEnum(['sms', 'email']),
    status: StringEnum(CAMPAIGN_STATUSES),
    audience: Type.Object(
      optional({
        client_ids: Type.Array(Type.String()),
        filters: Type.Object(
          optional({
            client_types: Type.Array(Type.String()),
            groups: Type.Array(Type.String()),
            label_ids: Type.Array(Type.String()),
            home_location_ids: Type.Array(Type.String()),
            last_contact_before: Nullable(IsoDateTime()),
            last_contact_after: Nullable(IsoDateTime()),
            opted_in_only: Type.Boolean(),
          }),
        ),
      }),
    ),
    body: Nullable(Type.String()),
    subject: Nullable(Type.String()),
    html: Nullable(Type.String()),
    media_urls: Type.Array(Type.String()),
    template_id: Nullable(Type.String()),
    location_id: Nullable(Type.String()),
    send_at: Nullable(IsoDateTime()),
    bypass_quiet_hours: Type.Boolean(),
    audience_size: Nullable(Type.Integer({ description: 'Recipients materialised at the start.' })),
    last_error: Nullable(Type.String({ description: 'What stopped the dispatch last (it is retried).' })),
    progress: Counts,
    started_at: Nullable(IsoDateTime()),
    paused_at: Nullable(IsoDateTime()),
    completed_at: Nullable(IsoDateTime()),
    canceled_at: Nullable(IsoDateTime()),
    created_by_staff_id: Nullable(Type.String()),
    created_at: IsoDateTime(),
    updated_at: IsoDateTime(),
  },
  {
    $id: 'Campaign',
    description: 'A campaign: one message (text or a saved reply rendered per recipient) to an audience of clients, each in its own conversation, with live counts.',
    example: {
      id: '01938a6e-7c1d-7e2f-8a3b-4c5d6e7f8a9b',
      business_id: 'demo',
      name: 'Spring color promo',
      channel: 'sms',
      status: 'sending',
      audience: { filters: { groups: ['color'], opted_in_only: true } },
      body: 'Hi {{client.first_name}}, 20% off color this week at {{location.name}}!',
      subject: null,
      html: null,
      media_urls: [],
      template_id: null,
      location_id: null,
      send_at: null,
      bypass_quiet_hours: false,
      audience_size: 1200,
      last_error: null,
      progress: { recipients: 1200, pending: 700, queued: 380, sending: 4, sent: 110, delivered: 96, failed: 2, canceled: 0, opted_out: 4, skipped: 4, replied: 7 },
      started_at: '2026-03-02T16:00:00.000Z',
      paused_at: null,
      completed_at: null,
      canceled_at: null,
      created_by_staff_id: null,
      created_at: '2026-03-02T15:40:00.000Z',
      updated_at: '2026-03-02T16:00:00.000Z',
    },
  },
);

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

const toCounts = (c: CampaignCounts) => ({
  recipients: c.recipients,
  pending: c.pending,
  queued: c.queued,
  sending: c.sending,
  sent: c.sent,
  delivered: c.delivered,
  failed: c.failed,
  canceled: c.canceled,
  opted_out: c.optedOut,
  skipped: c.skipped,
  replied: c.replied,
});

export function toCampaign(c: CampaignView, counts: CampaignCounts) {
  const f = c.audience.filters;
  return {
    id: c.id,
    business_id: c.businessId,
    name: c.name,
    channel: c.channel,
    status: c.status,
    audience: c.audience.clientIds
      ? { client_ids: c.audience.clientIds }
      : {
          filters: {
            ...(f?.clientTypes ? { client_types: f.clientTypes } : {}),
            ...(f?.groups ? { groups: f.groups } : {}),
            ...(f?.labelIds ? { label_ids: f.labelIds } : {}),
            ...(f?.homeLocationIds ? { home_location_ids: f.homeLocationIds } : {}),
            last_contact_before: iso(f?.lastContactBefore),
            last_contact_after: iso(f?.lastContactAfter),
            opted_in_only: f?.optedInOnly === true,
          },
        },
    body: c.content.body,
    subject: c.content.subject,
    html: c.content.html,
    media_urls: c.content.mediaUrls,
    template_id: c.templateId,
    location_id: c.locationId,
    send_at: iso(c.sendAt),
    bypass_quiet_hours: c.bypassQuietHours,
    audience_size: c.audienceSize,
    last_error: c.lastError,
    progress: toCounts(counts),
    started_at: iso(c.startedAt),
    paused_at: iso(c.pausedAt),
    completed_at: iso(c.completedAt),
    canceled_at: iso(c.canceledAt),
    created_by_staff_id: c.createdByStaffId,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}

const contentFields = {
  body: Nullable(Type.String({ maxLength: EMAIL_TEXT_MAX, description: 'SMS text (at most 1,600 characters) or an email plain text; a template with template_id.' })),
  subject: Nullable(Type.String({ maxLength: EMAIL_SUBJECT_MAX, description: 'Email.' })),
  html: Nullable(Type.String({ maxLength: EMAIL_HTML_MAX, description: 'Email.' })),
  media_urls: Type.Array(Type.String({ maxLength: 2048 }), { maxItems: SMS_MAX_MEDIA, description: 'SMS.' }),
  template_id: Nullable(Uuid({ description: 'A saved reply rendered for each recipient.' })),
  location_id: Nullable(Uuid({ description: "The sending location; omitted: each recipient's conversation's." })),
  send_at: Nullable(IsoDateTime({ description: 'When start sends it (scheduled until then); null: at once.' })),
  bypass_quiet_hours: Type.Boolean(),
};
const nameField = Type.String({ minLength: 1, maxLength: MAX_CAMPAIGN_NAME_LENGTH });
const channelField = StringEnum(['sms', 'email']);

const CreateBody = Type.Object({ name: nameField, channel: channelField, audience: AudienceSchema, ...optional(contentFields) }, { additionalProperties: false });
const UpdateBody = Type.Object(optional({ name: nameField, channel: channelField, audience: AudienceSchema, ...contentFields }), { additionalProperties: false });

type AudienceBody = Static<typeof AudienceSchema>;
function toAudience(a: AudienceBody): CampaignAudience {
  const f = a.filters;
  return {
    clientIds: a.client_ids ?? null,
    filters: f
      ? {
          ...(f.client_types ? { clientTypes: f.client_types } : {}),
          ...(f.groups ? { groups: f.groups } : {}),
          ...(f.label_ids ? { labelIds: f.label_ids } : {}),
          ...(f.home_location_ids ? { homeLocationIds: f.home_location_ids } : {}),
          lastContactBefore: f.last_contact_before ? new Date(f.last_contact_before) : null,
          lastContactAfter: f.last_contact_after ? new Date(f.last_contact_after) : null,
          optedInOnly: f.opted_in_only ?? false,
        }
      : null,
  };
}

type ContentBody = { body?: string | null; subject?: string | null; html?: string | null; media_urls?: string[] };
const toContent = (b: ContentBody): CampaignContent => ({ body: b.body ?? null, subject: b.subject ?? null, html: b.html ?? null, mediaUrls: b.media_urls ?? [] });

const campaignParams = Type.Object({ ...businessIdParams.properties, campaign_id: Uuid() });
const notFound = { 404: errorResponse('CAMPAIGN_NOT_FOUND (none such in this business), SAVED_REPLY_NOT_FOUND or LOCATION_NOT_FOUND') };
const security: { [scheme: string]: string[] }[] = [...apiKeySecurity, { BearerToken: [] }, { SessionCookie: [] }];

const RecipientSchema = Type.Object({
  client_id: Type.String(),
  state: StringEnum(RECIPIENT_STATES),
  reason: Nullable(Type.String({ description: 'With skipped: opted_out, no_address, duplicate_address, invalid, merged, canceled.' })),
  message_id: Nullable(Type.String()),
  message_status: Nullable(Type.String({ description: "Its message's delivery status." })),
  updated_at: IsoDateTime(),
});

export function campaignsRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  const answer = async (c: CampaignView) => toCampaign(c, await campaignCounts(deps, c.id));

  return async (app) => {
    app.get(
      '/businesses/:business_id/campaigns',
      {
        schema: {
          ...describe('GET', '/businesses/:business_id/campaigns'),
          description: 'Newest first; `status` (repeated) keeps those statuses. Each with its live counts.',
          security,
          params: businessIdParams,
          querystring: Type.Object({ ...pagingQuery, status: Type.Optional(Type.Array(StringEnum(CAMPAIGN_STATUSES), { maxItems: CAMPAIGN_STATUSES.length })) }, { additionalProperties: false }),
          response: { 200: pageSchema(CampaignSchema), ...authErrors },
        },
      },
      async (req) => {
        const paging = restPage(req.query);
        const input = { principal: req.principal, businessId: req.params.business_id, statuses: req.query.status ?? null };
        const [rows, total] = await Promise.all([listCampaigns(deps, { ...input, page: paging.args }), countCampaigns(deps, input)]);
        const page = restList(rows, paging, total, (c) => c);
        return { ...page, items: await Promise.all(page.items.map(answer)) };
      },
    );

    app.post(
      '/businesses/:business_id/campaigns',
      {
        schema: {
          ...describe('POST', '/businesses/:business_id/campaigns'),
          description: 'A new campaign, in draft: nothing is sent until `start`.',
          security,
          params: businessIdParams,
          body: CreateBody,
          response: { 201: Ref(CampaignSchema), ...notFound, ...authErrors },
        },
      },
      async (req, reply) => {
        const b = req.body;
        const campaign = await createCampaign(deps, {
          principal: req.principal,
          businessId: req.params.business_id,
          name: b.name,
          channel: b.channel,
          audience: toAudience(b.audience),
          content: toContent(b),
          templateId: b.template_id ?? null,
          locationId: b.location_id ?? null,
          sendAt: b.send_at ? new Date(b.send_at) : null,
          bypassQuietHours: b.bypass_quiet_hours ?? false,
        });
        return reply.status(201).send(await answer(campaign));
      },
    );

    app.get(
      '/businesses/:business_id/campaigns/:campaign_id',
      {
        schema: {
          ...describe('GET', '/businesses/:business_id/campaigns/:campaign_id'),
          description: 'The campaign with its live counts.',
          security,
          params: campaignParams,
          response: { 200: Ref(CampaignSchema), ...notFound, ...authErrors },
        },
      },
      async (req) => answer(await getCampaign(deps, { principal: req.principal, businessId: req.params.business_id, id: req.params.campaign_id })),
    );

    app.patch(
      '/businesses/:business_id/campaigns/:campaign_id',
      {
        schema: {
          ...describe('PATCH', '/businesses/:business_id/campaigns/:campaign_id'),
          description: 'Changes a draft or scheduled campaign (409 CAMPAIGN_NOT_EDITABLE otherwise): the fields given; the content fields given replace the content whole.',
          security,
          params: campaignParams,
          body: UpdateBody,
          response: { 200: Ref(CampaignSchema), 409: errorResponse('CAMPAIGN_NOT_EDITABLE'), ...notFound, ...authErrors },
        },
      },
      async (req) => {
        const b = req.body ?? {};
        const content = b.body !== undefined || b.subject !== undefined || b.html !== undefined || b.media_urls !== undefined;
        const campaign = await updateCampaign(deps, {
          principal: req.principal,
          businessId: req.params.business_id,
          id: req.params.campaign_id,
          ...(b.name !== undefined ? { name: b.name } : {}),
          ...(b.channel !== undefined ? { channel: b.channel } : {}),
          ...(b.audience !== undefined ? { audience: toAudience(b.audience) } : {}),
          ...(content ? { content: toContent(b) } : {}),
          ...(b.template_id !== undefined ? { templateId: b.template_id } : {}),
          ...(b.location_id !== undefined ? { locationId: b.location_id } : {}),
          ...(b.send_at !== undefined ? { sendAt: b.send_at ? new Date(b.send_at) : null } : {}),
          ...(b.bypass_quiet_hours !== undefined ? { bypassQuietHours: b.bypass_quiet_hours } : {}),
        });
        return answer(campaign);
      },
    );

    app.delete(
      '/businesses/:business_id/campaigns/:campaign_id',
      {
        schema: {
          ...describe('DELETE', '/businesses/:business_id/campaigns/:campaign_id'),
          description: 'Deletes a draft (409 CAMPAIGN_NOT_DRAFT otherwise: cancel it).',
          security,
          params: campaignParams,
          response: { 204: Type.Null({ description: 'Deleted' }), 409: errorResponse('CAMPAIGN_NOT_DRAFT'), ...notFound, ...authErrors },
        },
      },
      async (req, reply) => {
        await deleteCampaign(deps, { principal: req.principal, businessId: req.params.business_id, id: req.params.campaign_id });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/businesses/:business_id/campaigns/:campaign_id/start',
      {
        schema: {
          ...describe('POST', '/businesses/:business_id/campaigns/:campaign_id/start'),
          description:
            "Starts a draft or scheduled campaign (409 CAMPAIGN_NOT_STARTABLE otherwise): at a later `send_at` (given here, else the campaign's) it is `scheduled`; otherwise `sending` now: the audience is materialised once and queued in chunks. A campaign.updated event.",
          security,
          params: campaignParams,
          body: Nullable(Type.Object(optional({ send_at: Nullable(IsoDateTime({ description: 'Later: scheduled; null: now.' })) }), { additionalProperties: false, description: 'Optional.' })),
          response: { 200: Ref(CampaignSchema), 409: errorResponse('CAMPAIGN_NOT_STARTABLE'), ...notFound, ...authErrors },
        },
      },
      async (req) => {
        const b = req.body ?? {};
        const campaign = await startCampaign(deps, {
          principal: req.principal,
          businessId: req.params.business_id,
          id: req.params.campaign_id,
          ...(b.send_at !== undefined ? { sendAt: b.send_at ? new Date(b.send_at) : null } : {}),
        });
        return answer(campaign);
      },
    );

    const lifecycle = [
      [
        'pause',
        pauseCampaign,
        'CAMPAIGN_NOT_SENDING',
        'Pauses a sending campaign: from then on none of its messages is handed to the provider (a send already in flight completes). A campaign.updated event.',
      ],
      ['resume', resumeCampaign, 'CAMPAIGN_NOT_PAUSED', "Resumes a paused campaign: its waiting messages' send jobs and the dispatch go on. A campaign.updated event."],
      [
        'cancel',
        cancelCampaign,
        'CAMPAIGN_NOT_CANCELABLE',
        'Cancels a campaign that is not completed: in one transaction it is canceled, its scheduled and queued messages `canceled` (a message.status_changed event each) and its pending recipients skipped; nothing more of it goes out. A campaign.updated event.',
      ],
    ] as const;
    for (const [action, run, code, description] of lifecycle) {
      const path = `/businesses/:business_id/campaigns/:campaign_id/${action}`;
      app.post(
        path,
        {
          schema: {
            ...describe('POST', path),
            description,
            security,
            params: campaignParams,
            response: { 200: Ref(CampaignSchema), 409: errorResponse(code), ...notFound, ...authErrors },
          },
        },
        async (req) => answer(await run(deps, { principal: req.principal, businessId: req.params.business_id, id: req.params.campaign_id })),
      );
    }

    app.get(
      '/businesses/:business_id/campaigns/:campaign_id/recipients',
      {
        schema: {
          ...describe('GET', '/businesses/:business_id/campaigns/:campaign_id/recipients'),
          description: 'The materialised audience in client id order, each with its state and message; `state` keeps one state.',
          security,
          params: campaignParams,
          querystring: Type.Object({ ...pagingQuery, state: Type.Optional(StringEnum(RECIPIENT_STATES)) }, { additionalProperties: false }),
          response: {
            200: Type.Object({ items: Type.Array(RecipientSchema), total: Type.Integer(), page: Type.Integer(), page_size: Type.Integer(), next_cursor: Nullable(Type.String()) }),
            ...notFound,
            ...authErrors,
          },
        },
      },
      async (req) => {
        const paging = restPage(req.query);
        const { items, total } = await listCampaignRecipients(deps, {
          principal: req.principal,
          businessId: req.params.business_id,
          id: req.params.campaign_id,
          state: req.query.state ?? null,
          page: paging.args,
        });
        const page = restList(
          items.map((r) => ({ ...r, id: r.clientId })),
          paging,
          total,
          (r) => ({
            client_id: r.clientId,
            state: r.state as (typeof RECIPIENT_STATES)[number],
            reason: r.reason,
            message_id: r.messageId,
            message_status: r.messageStatus,
            updated_at: r.updatedAt.toISOString(),
          }),
        );
        return page;
      },
    );
  };
}

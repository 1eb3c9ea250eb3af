import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type, { type Static } from 'typebox';
import { addNote } from '../src/domain/conversations/addNote.js';
import { assignConversation } from '../src/domain/conversations/assignConversation.js';
import { getConversation } from '../src/domain/conversations/getConversation.js';
import { getConversationFilters, type FilterOption } from '../src/domain/conversations/getConversationFilters.js';
import { countConversationList, listConversations, withLastMessageHtml, type ConversationListFilter } from '../src/domain/conversations/listConversations.js';
import { openConversation } from '../src/domain/conversations/openConversation.js';
import { updateConversationStatus } from '../src/domain/conversations/updateConversationStatus.js';
import { listLocations } from '../src/domain/locations/listLocations.js';
import { countMessages, listMessages, type MessageListFilter } from '../src/domain/messages/listMessages.js';
import { markMessagesRead } from '../src/domain/messages/markMessagesRead.js';
import type { Deps } from '../src/domain/deps.js';
import { describe } from './catalog.js';
import { pageSchema, pagingQuery, restList, restPage } from './paging.js';
import { conversationInclude, ConversationSchema, LocationSchema, MessageSchema, toConversation, toLocation, toMessage } from './representations.js';
import { apiKeySecurity, authErrors, businessIdParams, errorResponse, IsoDateTime, Nullable, optional, Ref, StringEnum, Uuid } from './schemas.js';

const conversationParams = Type.Object({ ...businessIdParams.properties, conversation_id: Uuid() });
const notFound = { 404: errorResponse('Unknown business, conversation, client or staff member') };
const common = { security: apiKeySecurity };

const channelEnum = () => StringEnum(['sms', 'email', 'voice', 'note']);

/** The conversation list's filters (the list's query, and a bulk action's `filter`). */
export const conversationFilterFields = {
  view: StringEnum(['inbox', 'all', 'open', 'snoozed', 'archived', 'unread', 'read', 'replied', 'unreplied', 'mentions'], {
    description: 'mentions: where a note mentioned the viewer (a session, or viewer_staff_id with an API key, else 422 VIEWER_REQUIRED), unread mentions first.',
  }),
  status: StringEnum(['open', 'snoozed', 'archived'], { description: 'Same as view, for older callers.' }),
  assignee_id: Uuid(),
  unassigned: Type.Boolean(),
  channel: channelEnum(),
  location_id: Uuid(),
  client_id: Uuid(),
  client_type: Type.String({ maxLength: 100 }),
  client_group: Type.String({ maxLength: 100 }),
  pinned: Type.Boolean(),
  from: IsoDateTime({ description: 'Last activity at or after.' }),
  to: IsoDateTime({ description: 'Last activity before.' }),
  label_ids: Type.Array(Uuid(), { maxItems: 50, description: 'Conversations with any (label_match any, the default) or all of these labels; repeat the parameter for several.' }),
  label_match: StringEnum(['any', 'all']),
  viewer_staff_id: Uuid({ description: 'View mentions with an API key: whose mentions (a session is its own staff member).' }),
};

const conversationListQuery = Type.Object({
  ...pagingQuery,
  ...optional(conversationFilterFields),
});
type ConversationListQuery = Omit<Static<typeof conversationListQuery>, 'page' | 'page_size' | 'cursor'>;

export function conversationFilter(q: ConversationListQuery): ConversationListFilter {
  return {
    ...(q.view ? { view: q.view } : q.status ? { view: q.status } : {}),
    ...(q.assignee_id ? { assigneeId: q.assignee_id } : {}),
    ...(q.unassigned ? { unassigned: true } : {}),
    ...(q.channel ? { channel: q.channel } : {}),
    ...(q.location_id ? { locationId: q.location_id } : {}),
    ...(q.client_id ? { clientId: q.client_id } : {}),
    ...(q.client_type ? { clientType: q.client_type } : {}),
    ...(q.client_group ? { clientGroup: q.client_group } : {}),
    ...(q.pinned !== undefined ? { pinned: q.pinned } : {}),
    ...(q.from ? { from: new Date(q.from) } : {}),
    ...(q.to ? { to: new Date(q.to) } : {}),
    ...(q.label_ids?.length ? { labelIds: q.label_ids } : {}),
    ...(q.label_match ? { labelMatch: q.label_match } : {}),
    ...(q.viewer_staff_id ? { viewerStaffId: q.viewer_staff_id } : {}),
  };
}

const filterOptions = () =>
  Type.Array(
    Type.Object({
      value: Nullable(Type.String()),
      label: Type.String(),
      count: Type.Integer(),
      ...optional({
        unread_count: Nullable(Type.Integer({ description: "Views, with a viewer: the view's conversations that staff member has not read (mentions: unread mentions)." })),
        color: Type.String({ description: "Labels: the label's colour." }),
      }),
    }),
  );
const toFilterOptions = (options: FilterOption[]) =>
  options.map((o) => ({ value: o.value, label: o.label, count: o.count, ...(o.unreadCount !== undefined ? { unread_count: o.unreadCount } : {}), ...(o.color ? { color: o.color } : {}) }));

export function businessesRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/businesses/:business_id/locations',
      {
        schema: {
          ...describe('GET', '/businesses/:business_id/locations'),
          ...common,
          params: businessIdParams,
          response: {
            200: Type.Object({ items: Type.Array(Ref(LocationSchema)), total: Type.Integer() }),
            ...notFound,
            ...authErrors,
          },
        },
      },
      async (req) => {
        const locations = await listLocations(deps, req.params.business_id);
        return { items: locations.map(toLocation), total: locations.length };
      },
    );

    app.get(
      '/businesses/:business_id/conversations',
      {
        schema: {
          ...describe('GET', '/businesses/:business_id/conversations'),
          ...common,
          description:
            "Pinned first, then most recent activity. `view` (default inbox = all but archived): all, open, snoozed, archived, unread, read, replied, unreplied, mentions (the viewer's mentions, unread first). `label_ids` with `label_match` (any, all) filters by labels; every filter combines. Each conversation carries its `labels`.",
          params: businessIdParams,
          querystring: conversationListQuery,
          response: { 200: pageSchema(ConversationSchema), ...notFound, ...authErrors },
        },
      },
      async (req) => {
        const filter = conversationFilter(req.query);
        const paging = restPage(req.query);
        const [rows, total] = await Promise.all([
          listConversations(deps, { businessId: req.params.business_id, filter, page: paging.args, principal: req.principal }, conversationInclude).then((rows) => withLastMessageHtml(deps, rows)),
          countConversationList(deps, { businessId: req.params.business_id, filter, principal: req.principal }),
        ]);
        return restList(rows, paging, total, toConversation);
      },
    );

    app.post(
      '/businesses/:business_id/conversations',
      {
        schema: {
          ...describe('POST', '/businesses/:business_id/conversations'),
          ...common,
          description: 'Names the client by client_id, client_external_id, phone or email (created when unknown). Safe under concurrent calls: one conversation per client and location.',
          params: businessIdParams,
          body: Type.Object(
            optional({
              client_id: Uuid(),
              client_external_id: Type.String({ minLength: 1, maxLength: 200 }),
              phone: Type.String({ minLength: 3, maxLength: 40 }),
              email: Type.String({ minLength: 3, maxLength: 320 }),
              first_name: Type.String({ maxLength: 200 }),
              last_name: Type.String({ maxLength: 200 }),
              location_id: Uuid(),
            }),
            { additionalProperties: false },
          ),
          response: {
            200: Ref(ConversationSchema, 'Existing conversation'),
            201: Ref(ConversationSchema, 'Created conversation'),
            ...notFound,
            ...authErrors,
          },
        },
      },
      async (req, reply) => {
        const b = req.body ?? {};
        const { conversation, created } = await openConversation(deps, {
          businessId: req.params.business_id,
          clientId: b.client_id ?? null,
          externalId: b.client_external_id ?? null,
          phone: b.phone ?? null,
          email: b.email ?? null,
          firstName: b.first_name ?? null,
          lastName: b.last_name ?? null,
          locationId: b.location_id ?? null,
        });
        const full = await getConversation(deps, { conversationId: conversation.id }, conversationInclude);
        return reply.status(created ? 201 : 200).send(toConversation(full));
      },
    );

    app.get(
      '/businesses/:business_id/conversations/filters',
      {
        schema: {
          ...describe('GET', '/businesses/:business_id/conversations/filters'),
          ...common,
          description:
            'Each option with its count. With a viewer (a session, or `viewer_staff_id` with an API key) each view also has `unread_count`: its conversations that staff member has not read (for `mentions`: with an unread mention).',
          params: businessIdParams,
          querystring: Type.Object(optional({ viewer_staff_id: Uuid({ description: 'API keys: whose unread counts per view to give (a session gets its own).' }) })),
          response: {
            200: Type.Object(
              optional({
                views: filterOptions(),
                assignees: filterOptions(),
                channels: filterOptions(),
                locations: filterOptions(),
                client_types: filterOptions(),
                client_groups: filterOptions(),
                labels: filterOptions(),
                viewer_staff_id: Nullable(Type.String()),
                date_range: Type.Object({ from: Nullable(IsoDateTime()), to: Nullable(IsoDateTime()) }),
              }),
            ),
            ...notFound,
            ...authErrors,
          },
        },
      },
      async (req) => {
        const f = await getConversationFilters(deps, req.params.business_id, { principal: req.principal, viewerStaffId: req.query.viewer_staff_id ?? null });
        return {
          views: toFilterOptions(f.views),
          assignees: toFilterOptions(f.assignees),
          channels: toFilterOptions(f.channels),
          locations: toFilterOptions(f.locations),
          client_types: toFilterOptions(f.clientTypes),
          client_groups: toFilterOptions(f.clientGroups),
          labels: toFilterOptions(f.labels),
          viewer_staff_id: f.viewerStaffId,
          date_range: { from: f.dateRange.from?.toISOString() ?? null, to: f.dateRange.to?.toISOString() ?? null },
        };
      },
    );

    app.get(
      '/businesses/:business_id/conversations/:conversation_id/messages',
      {
        schema: {
          ...describe('GET', '/businesses/:business_id/conversations/:conversation_id/messages'),
          ...common,
          description: 'Newest first.',
          params: conversationParams,
          querystring: Type.Object({
            ...pagingQuery,
            ...optional({
              channel: channelEnum(),
              direction: StringEnum(['inbound', 'outbound', 'internal']),
              status: Type.Array(StringEnum(['scheduled', 'queued', 'sending', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'canceled', 'received', 'recorded'])),
              before: IsoDateTime(),
              after: IsoDateTime(),
            }),
          }),
          response: { 200: pageSchema(MessageSchema), ...notFound, ...authErrors },
        },
      },
      async (req) => {
        const q = req.query;
        const filter: MessageListFilter = {
          ...(q.channel ? { channel: q.channel } : {}),
          ...(q.direction ? { direction: q.direction } : {}),
          ...(q.status?.length ? { status: q.status } : {}),
          ...(q.before ? { before: new Date(q.before) } : {}),
          ...(q.after ? { after: new Date(q.after) } : {}),
        };
        const paging = restPage(q);
        const input = { businessId: req.params.business_id, conversationId: req.params.conversation_id, filter };
        const [rows, total] = await Promise.all([listMessages(deps, { ...input, page: paging.args }), countMessages(deps, input)]);
        return restList(rows, paging, total, toMessage);
      },
    );

    app.post(
      '/businesses/:business_id/conversations/:conversation_id/notes',
      {
        schema: {
          ...describe('POST', '/businesses/:business_id/conversations/:conversation_id/notes'),
          ...common,
          description: 'Internal note (never sent). Staff are mentioned by mention_staff_ids and by @first or @first.last in the text.',
          params: conversationParams,
          body: Type.Object(
            {
              body: Type.String({ minLength: 1, maxLength: 10_000 }),
              ...optional({
                author_staff_id: Uuid({ description: 'The author (API key; a session is its own staff member: default, and any other one is 403 STAFF_FORBIDDEN).' }),
                mention_staff_ids: Type.Array(Uuid(), { maxItems: 50 }),
              }),
            },
            { additionalProperties: false },
          ),
          response: { 201: Ref(MessageSchema), ...notFound, ...authErrors },
        },
      },
      async (req, reply) => {
        const note = await addNote(deps, {
          principal: req.principal,
          businessId: req.params.business_id,
          conversationId: req.params.conversation_id,
          body: req.body.body,
          authorStaffId: req.body.author_staff_id ?? null,
          mentionStaffIds: req.body.mention_staff_ids ?? [],
        });
        return reply.status(201).send(toMessage(note));
      },
    );

    app.post(
      '/businesses/:business_id/conversations/:conversation_id/assign',
      {
        schema: {
          ...describe('POST', '/businesses/:business_id/conversations/:conversation_id/assign'),
          ...common,
          description: 'staff_id null unassigns.',
          params: conversationParams,
          body: Type.Object({ staff_id: Nullable(Uuid()) }, { additionalProperties: false }),
          response: { 200: Ref(ConversationSchema), ...notFound, ...authErrors },
        },
      },
      async (req) => {
        await assignConversation(deps, { businessId: req.params.business_id, conversationId: req.params.conversation_id, staffId: req.body.staff_id });
        return toConversation(await getConversation(deps, { conversationId: req.params.conversation_id }, conversationInclude));
      },
    );

    app.post(
      '/businesses/:business_id/conversations/:conversation_id/status',
      {
        schema: {
          ...describe('POST', '/businesses/:business_id/conversations/:conversation_id/status'),
          ...common,
          description: 'status open, snoozed (until snoozed_until, or the next inbound message when omitted) or archived; pinned; muted.',
          params: conversationParams,
          body: Type.Object(optional({ status: StringEnum(['open', 'snoozed', 'archived']), snoozed_until: Nullable(IsoDateTime()), pinned: Type.Boolean(), muted: Type.Boolean() }), {
            additionalProperties: false,
          }),
          response: { 200: Ref(ConversationSchema), ...notFound, ...authErrors },
        },
      },
      async (req) => {
        const b = req.body ?? {};
        await updateConversationStatus(deps, {
          businessId: req.params.business_id,
          conversationId: req.params.conversation_id,
          ...(b.status ? { status: b.status } : {}),
          ...(b.snoozed_until ? { snoozedUntil: new Date(b.snoozed_until) } : {}),
          ...(b.pinned !== undefined ? { pinned: b.pinned } : {}),
          ...(b.muted !== undefined ? { muted: b.muted } : {}),
        });
        return toConversation(await getConversation(deps, { conversationId: req.params.conversation_id }, conversationInclude));
      },
    );

    app.post(
      '/businesses/:business_id/messages/read-status',
      {
        schema: {
          ...describe('POST', '/businesses/:business_id/messages/read-status'),
          ...common,
          description: 'Marks inbound messages read (read: true, default) or unread by conversation, ids, channel and time bounds; with staff_id also for that staff member. Answers how many changed.',
          params: businessIdParams,
          body: Type.Object(
            optional({
              read: Type.Boolean({ default: true }),
              conversation_id: Uuid(),
              message_ids: Type.Array(Uuid(), { minItems: 1, maxItems: 1000 }),
              channel: channelEnum(),
              before: IsoDateTime(),
              after: IsoDateTime(),
              staff_id: Uuid({ description: 'Also move this staff member’s read position (API key; a session is its own staff member: default, and any other one is 403 STAFF_FORBIDDEN).' }),
            }),
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ updated: Type.Integer(), staff_updated: Nullable(Type.Integer()) }),
            ...notFound,
            ...authErrors,
          },
        },
      },
      async (req) => {
        const b = req.body ?? {};
        const result = await markMessagesRead(deps, {
          principal: req.principal,
          businessId: req.params.business_id,
          read: b.read ?? true,
          ...(b.conversation_id ? { conversationId: b.conversation_id } : {}),
          ...(b.message_ids ? { messageIds: b.message_ids } : {}),
          ...(b.channel ? { channel: b.channel } : {}),
          ...(b.before ? { before: new Date(b.before) } : {}),
          ...(b.after ? { after: new Date(b.after) } : {}),
          ...(b.staff_id ? { staffId: b.staff_id } : {}),
        });
        return { updated: result.updated, staff_updated: result.staffUpdated };
      },
    );
  };
}

import type { FastifyPluginAsync } from 'fastify';
import { addNote } from '../src/domain/conversations/addNote.js';
import { assignConversation } from '../src/domain/conversations/assignConversation.js';
import { getConversation } from '../src/domain/conversations/getConversation.js';
import { getConversationFilters } from '../src/domain/conversations/getConversationFilters.js';
import { countConversationList, listConversations, withLastMessageHtml, type ConversationListFilter } from '../src/domain/conversations/listConversations.js';
import { openConversation } from '../src/domain/conversations/openConversation.js';
import { updateConversationStatus } from '../src/domain/conversations/updateConversationStatus.js';
import { listLocations } from '../src/domain/locations/listLocations.js';
import { countMessages, listMessages, type MessageListFilter } from '../src/domain/messages/listMessages.js';
import { markMessagesRead } from '../src/domain/messages/markMessagesRead.js';
import type { Deps } from '../src/domain/deps.js';
import { describe } from './catalog.js';
import { listSchema, pagingQuery, restList, restPage, type PagingQuery } from './paging.js';
import { conversationInclude, conversationSchema, locationSchema, messageSchema, toConversation, toLocation, toMessage } from './representations.js';
import { apiKeySecurity, authErrors, businessIdParams, errorResponse, isoDateTime, nullable } from './schemas.js';

const uuid = { type: 'string', format: 'uuid' } as const;
const conversationParams = {
  type: 'object',
  properties: { ...businessIdParams.properties, conversation_id: uuid },
  required: ['business_id', 'conversation_id'],
} as const;
const notFound = { 404: { ...errorResponse, description: 'Unknown business, conversation, client or staff member' } };
const common = { security: apiKeySecurity };

type BizParams = { business_id: string };
type ConvParams = BizParams & { conversation_id: string };

interface ConversationListQuery extends PagingQuery {
  view?: ConversationListFilter['view'];
  status?: 'open' | 'snoozed' | 'archived';
  assignee_id?: string;
  unassigned?: boolean;
  channel?: ConversationListFilter['channel'];
  location_id?: string;
  client_id?: string;
  client_type?: string;
  client_group?: string;
  pinned?: boolean;
  from?: string;
  to?: string;
}

function conversationFilter(q: ConversationListQuery): ConversationListFilter {
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
  };
}

const filterOptions = {
  type: 'array',
  items: { type: 'object', properties: { value: nullable({ type: 'string' }), label: { type: 'string' }, count: { type: 'integer' } }, required: ['value', 'label', 'count'] },
} as const;

const channelEnum = { type: 'string', enum: ['sms', 'email', 'voice', 'note'] } as const;

export function businessesRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: BizParams }>('/businesses/:business_id/locations', {
      schema: {
        ...describe('GET', '/businesses/:business_id/locations'),
        ...common,
        params: businessIdParams,
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: locationSchema }, total: { type: 'integer' } }, required: ['items', 'total'] },
          ...notFound,
          ...authErrors,
        },
      },
    }, async (req) => {
      const locations = await listLocations(deps, req.params.business_id);
      return { items: locations.map(toLocation), total: locations.length };
    });

    app.get<{ Params: BizParams; Querystring: ConversationListQuery }>('/businesses/:business_id/conversations', {
      schema: {
        ...describe('GET', '/businesses/:business_id/conversations'),
        ...common,
        description: 'Pinned first, then most recent activity. `view` (default inbox = all but archived): all, open, snoozed, archived, unread, read, replied, unreplied.',
        params: businessIdParams,
        querystring: {
          type: 'object',
          properties: {
            ...pagingQuery,
            view: { type: 'string', enum: ['inbox', 'all', 'open', 'snoozed', 'archived', 'unread', 'read', 'replied', 'unreplied'] },
            status: { type: 'string', enum: ['open', 'snoozed', 'archived'], description: 'Same as view, for older callers.' },
            assignee_id: uuid,
            unassigned: { type: 'boolean' },
            channel: channelEnum,
            location_id: uuid,
            client_id: uuid,
            client_type: { type: 'string', maxLength: 100 },
            client_group: { type: 'string', maxLength: 100 },
            pinned: { type: 'boolean' },
            from: { ...isoDateTime, description: 'Last activity at or after.' },
            to: { ...isoDateTime, description: 'Last activity before.' },
          },
        },
        response: { 200: listSchema(conversationSchema), ...notFound, ...authErrors },
      },
    }, async (req) => {
      const filter = conversationFilter(req.query);
      const paging = restPage(req.query);
      const [rows, total] = await Promise.all([
        listConversations(deps, { businessId: req.params.business_id, filter, page: paging.args }, conversationInclude).then((rows) => withLastMessageHtml(deps, rows)),
        countConversationList(deps, { businessId: req.params.business_id, filter }),
      ]);
      return restList(rows, paging, total, toConversation);
    });

    app.post<{ Params: BizParams; Body: { client_id?: string; client_external_id?: string; phone?: string; email?: string; first_name?: string; last_name?: string; location_id?: string } }>(
      '/businesses/:business_id/conversations',
      {
        schema: {
          ...describe('POST', '/businesses/:business_id/conversations'),
          ...common,
          description: 'Names the client by client_id, client_external_id, phone or email (created when unknown). Safe under concurrent calls: one conversation per client and location.',
          params: businessIdParams,
          body: {
            type: 'object',
            properties: {
              client_id: uuid,
              client_external_id: { type: 'string', minLength: 1, maxLength: 200 },
              phone: { type: 'string', minLength: 3, maxLength: 40 },
              email: { type: 'string', minLength: 3, maxLength: 320 },
              first_name: { type: 'string', maxLength: 200 },
              last_name: { type: 'string', maxLength: 200 },
              location_id: uuid,
            },
            additionalProperties: false,
          },
          response: {
            200: { ...conversationSchema, description: 'Existing conversation' },
            201: { ...conversationSchema, description: 'Created conversation' },
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

    app.get<{ Params: BizParams }>('/businesses/:business_id/conversations/filters', {
      schema: {
        ...describe('GET', '/businesses/:business_id/conversations/filters'),
        ...common,
        params: businessIdParams,
        response: {
          200: {
            type: 'object',
            properties: {
              views: filterOptions,
              assignees: filterOptions,
              channels: filterOptions,
              locations: filterOptions,
              client_types: filterOptions,
              client_groups: filterOptions,
              date_range: { type: 'object', properties: { from: nullable(isoDateTime), to: nullable(isoDateTime) }, required: ['from', 'to'] },
            },
          },
          ...notFound,
          ...authErrors,
        },
      },
    }, async (req) => {
      const f = await getConversationFilters(deps, req.params.business_id);
      return {
        views: f.views, assignees: f.assignees, channels: f.channels, locations: f.locations,
        client_types: f.clientTypes, client_groups: f.clientGroups,
        date_range: { from: f.dateRange.from?.toISOString() ?? null, to: f.dateRange.to?.toISOString() ?? null },
      };
    });

    app.get<{ Params: ConvParams; Querystring: PagingQuery & { channel?: MessageListFilter['channel']; direction?: MessageListFilter['direction']; status?: string[]; before?: string; after?: string } }>(
      '/businesses/:business_id/conversations/:conversation_id/messages',
      {
        schema: {
          ...describe('GET', '/businesses/:business_id/conversations/:conversation_id/messages'),
          ...common,
          description: 'Newest first.',
          params: conversationParams,
          querystring: {
            type: 'object',
            properties: {
              ...pagingQuery,
              channel: channelEnum,
              direction: { type: 'string', enum: ['inbound', 'outbound', 'internal'] },
              status: { type: 'array', items: { type: 'string', enum: ['scheduled', 'queued', 'sending', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'canceled', 'received', 'recorded'] } },
              before: isoDateTime,
              after: isoDateTime,
            },
          },
          response: { 200: listSchema(messageSchema), ...notFound, ...authErrors },
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

    app.post<{ Params: ConvParams; Body: { body: string; author_staff_id?: string; mention_staff_ids?: string[] } }>(
      '/businesses/:business_id/conversations/:conversation_id/notes',
      {
        schema: {
          ...describe('POST', '/businesses/:business_id/conversations/:conversation_id/notes'),
          ...common,
          description: 'Internal note (never sent). Staff are mentioned by mention_staff_ids and by @first or @first.last in the text.',
          params: conversationParams,
          body: {
            type: 'object',
            properties: {
              body: { type: 'string', minLength: 1, maxLength: 10_000 },
              author_staff_id: { ...uuid, description: 'The author (API key; a session is its own staff member: default, and any other one is 403 STAFF_FORBIDDEN).' },
              mention_staff_ids: { type: 'array', items: uuid, maxItems: 50 },
            },
            required: ['body'],
            additionalProperties: false,
          },
          response: { 201: messageSchema, ...notFound, ...authErrors },
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

    app.post<{ Params: ConvParams; Body: { staff_id: string | null } }>('/businesses/:business_id/conversations/:conversation_id/assign', {
      schema: {
        ...describe('POST', '/businesses/:business_id/conversations/:conversation_id/assign'),
        ...common,
        description: 'staff_id null unassigns.',
        params: conversationParams,
        body: { type: 'object', properties: { staff_id: nullable(uuid) }, required: ['staff_id'], additionalProperties: false },
        response: { 200: conversationSchema, ...notFound, ...authErrors },
      },
    }, async (req) => {
      await assignConversation(deps, { businessId: req.params.business_id, conversationId: req.params.conversation_id, staffId: req.body.staff_id });
      return toConversation(await getConversation(deps, { conversationId: req.params.conversation_id }, conversationInclude));
    });

    app.post<{ Params: ConvParams; Body: { status?: 'open' | 'snoozed' | 'archived'; snoozed_until?: string | null; pinned?: boolean; muted?: boolean } }>(
      '/businesses/:business_id/conversations/:conversation_id/status',
      {
        schema: {
          ...describe('POST', '/businesses/:business_id/conversations/:conversation_id/status'),
          ...common,
          description: 'status open, snoozed (until snoozed_until, or the next inbound message when omitted) or archived; pinned; muted.',
          params: conversationParams,
          body: {
            type: 'object',
            properties: {
              status: { type: 'string', enum: ['open', 'snoozed', 'archived'] },
              snoozed_until: nullable(isoDateTime),
              pinned: { type: 'boolean' },
              muted: { type: 'boolean' },
            },
            additionalProperties: false,
          },
          response: { 200: conversationSchema, ...notFound, ...authErrors },
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

    app.post<{ Params: BizParams; Body: { read?: boolean; conversation_id?: string; message_ids?: string[]; channel?: MessageListFilter['channel']; before?: string; after?: string; staff_id?: string } }>(
      '/businesses/:business_id/messages/read-status',
      {
        schema: {
          ...describe('POST', '/businesses/:business_id/messages/read-status'),
          ...common,
          description: 'Marks inbound messages read (read: true, default) or unread by conversation, ids, channel and time bounds; with staff_id also for that staff member. Answers how many changed.',
          params: businessIdParams,
          body: {
            type: 'object',
            properties: {
              read: { type: 'boolean', default: true },
              conversation_id: uuid,
              message_ids: { type: 'array', items: uuid, minItems: 1, maxItems: 1000 },
              channel: channelEnum,
              before: isoDateTime,
              after: isoDateTime,
              staff_id: { ...uuid, description: 'Also move this staff member’s read position (API key; a session is its own staff member: default, and any other one is 403 STAFF_FORBIDDEN).' },
            },
            additionalProperties: false,
          },
          response: {
            200: { type: 'object', properties: { updated: { type: 'integer' }, staff_updated: nullable({ type: 'integer' }) }, required: ['updated', 'staff_updated'] },
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

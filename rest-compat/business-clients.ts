import type { FastifyPluginAsync } from 'fastify';
import type { Client, Conversation, Location } from '../src/generated/prisma/client.js';
import { getClient } from '../src/domain/clients/getClient.js';
import { countClientList, listClients, type ClientListFilter } from '../src/domain/clients/listClients.js';
import type { Deps } from '../src/domain/deps.js';
import { describe } from './catalog.js';
import { listSchema, pagingQuery, restList, restPage, type PagingQuery } from './paging.js';
import { clientName, clientSummarySchema, conversationSchema, toClientSummary, toConversation } from './representations.js';
import { apiKeySecurity, authErrors, businessIdParams, errorResponse, isoDateTime, nullable } from './schemas.js';

const clientSchema = {
  type: 'object',
  properties: {
    ...clientSummarySchema.properties,
    business_id: { type: 'string' },
    home_location_id: nullable({ type: 'string' }),
    sms_opt_out_at: nullable(isoDateTime),
    email_suppressed_at: nullable(isoDateTime),
    email_suppression_reason: nullable({ type: 'string' }),
    metadata: { type: 'object', additionalProperties: true },
    created_at: isoDateTime,
  },
  required: [...clientSummarySchema.required, 'business_id', 'created_at'],
} as const;

const toClient = (c: Client) => ({
  ...toClientSummary(c),
  business_id: c.businessId,
  home_location_id: c.homeLocationId,
  sms_opt_out_at: c.smsOptOutAt?.toISOString() ?? null,
  email_suppressed_at: c.emailSuppressedAt?.toISOString() ?? null,
  email_suppression_reason: c.emailSuppressionReason,
  metadata: c.metadata && typeof c.metadata === 'object' ? c.metadata : {},
  created_at: c.createdAt.toISOString(),
});

const clientDetailSchema = {
  type: 'object',
  properties: {
    ...clientSchema.properties,
    home_location: nullable({ type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } }, required: ['id', 'name'] }),
    unread_count: { type: 'integer' },
    conversations: { type: 'array', items: conversationSchema },
  },
  required: [...clientSchema.required, 'unread_count', 'conversations'],
} as const;

type ClientDetail = Client & { homeLocation: Location | null; conversations: Conversation[] };

interface ClientListQuery extends PagingQuery {
  search?: string;
  type?: string;
  group?: string;
  home_location_id?: string;
  external_id?: string;
  sms_opt_out?: boolean;
  email_suppressed?: boolean;
}

export function businessClientsRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { business_id: string }; Querystring: ClientListQuery }>('/business-clients/:business_id/clients', {
      schema: {
        ...describe('GET', '/business-clients/:business_id/clients'),
        security: apiKeySecurity,
        description: 'By name; with `search` (name: partial or misspelt; phone or email: partial), best match first.',
        params: businessIdParams,
        querystring: {
          type: 'object',
          properties: {
            ...pagingQuery,
            search: { type: 'string', minLength: 1, maxLength: 200 },
            type: { type: 'string', maxLength: 100 },
            group: { type: 'string', maxLength: 100 },
            home_location_id: { type: 'string', format: 'uuid' },
            external_id: { type: 'string', maxLength: 200 },
            sms_opt_out: { type: 'boolean' },
            email_suppressed: { type: 'boolean' },
          },
        },
        response: { 200: listSchema(clientSchema), 404: errorResponse, ...authErrors },
      },
    }, async (req) => {
      const q = req.query;
      const filter: ClientListFilter = {
        ...(q.search ? { search: q.search } : {}),
        ...(q.type ? { type: q.type } : {}),
        ...(q.group ? { group: q.group } : {}),
        ...(q.home_location_id ? { homeLocationId: q.home_location_id } : {}),
        ...(q.external_id ? { externalId: q.external_id } : {}),
        ...(q.sms_opt_out !== undefined ? { smsOptOut: q.sms_opt_out } : {}),
        ...(q.email_suppressed !== undefined ? { emailSuppressed: q.email_suppressed } : {}),
      };
      const paging = restPage(q);
      const [rows, total] = await Promise.all([
        listClients(deps, { businessId: req.params.business_id, filter, page: paging.args }),
        countClientList(deps, { businessId: req.params.business_id, filter }),
      ]);
      return restList(rows, paging, total, toClient);
    });

    app.get<{ Params: { business_id: string; client_id: string } }>('/business-clients/:business_id/clients/:client_id', {
      schema: {
        ...describe('GET', '/business-clients/:business_id/clients/:client_id'),
        security: apiKeySecurity,
        description: "client_id is Omega's id or the business's own external id. Includes the client's conversations and unread counts.",
        params: {
          type: 'object',
          properties: { ...businessIdParams.properties, client_id: { type: 'string', minLength: 1, maxLength: 200 } },
          required: ['business_id', 'client_id'],
        },
        response: { 200: clientDetailSchema, 404: errorResponse, ...authErrors },
      },
    }, async (req) => {
      const c = (await getClient(deps, { businessId: req.params.business_id, clientId: req.params.client_id }, {
        include: { homeLocation: true, conversations: { orderBy: [{ lastActivityAt: 'desc' }, { id: 'desc' }], include: { assignee: true, lastMessage: true } } },
      })) as ClientDetail;
      return {
        ...toClient(c),
        name: clientName(c),
        home_location: c.homeLocation ? { id: c.homeLocation.id, name: c.homeLocation.name } : null,
        unread_count: c.conversations.reduce((n, conv) => n + conv.unreadCount, 0),
        conversations: c.conversations.map((conv) => toConversation({ ...conv, client: c })),
      };
    });
  };
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Client, Location } from '../src/generated/prisma/client.js';
import { getClient } from '../src/domain/clients/getClient.js';
import { countClientList, listClients, type ClientListFilter } from '../src/domain/clients/listClients.js';
import type { Deps } from '../src/domain/deps.js';
import { describe } from './catalog.js';
import { pageSchema, pagingQuery, restList, restPage } from './paging.js';
import { clientName, ClientSchema, conversationLabelsInclude, ConversationSchema, toClient, toConversation, type ConversationWithRelations } from './representations.js';
import { apiKeySecurity, authErrors, businessIdParams, errorResponse, Nullable, optional, Ref, Uuid } from './schemas.js';

const clientDetailSchema = Type.Object({
  ...ClientSchema.properties,
  ...optional({ home_location: Nullable(Type.Object({ id: Type.String(), name: Type.String() })) }),
  unread_count: Type.Integer(),
  conversations: Type.Array(Ref(ConversationSchema)),
});

type ClientDetail = Client & { homeLocation: Location | null; conversations: ConversationWithRelations[] };

export function businessClientsRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/business-clients/:business_id/clients',
      {
        schema: {
          ...describe('GET', '/business-clients/:business_id/clients'),
          security: apiKeySecurity,
          description: 'By name; with `search` (name: partial or misspelt; phone or email: partial), best match first.',
          params: businessIdParams,
          querystring: Type.Object({
            ...pagingQuery,
            ...optional({
              search: Type.String({ minLength: 1, maxLength: 200 }),
              type: Type.String({ maxLength: 100 }),
              group: Type.String({ maxLength: 100 }),
              home_location_id: Uuid(),
              external_id: Type.String({ maxLength: 200 }),
              sms_opt_out: Type.Boolean(),
              email_suppressed: Type.Boolean(),
            }),
          }),
          response: { 200: pageSchema(ClientSchema), 404: errorResponse(), ...authErrors },
        },
      },
      async (req) => {
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
      },
    );

    app.get(
      '/business-clients/:business_id/clients/:client_id',
      {
        schema: {
          ...describe('GET', '/business-clients/:business_id/clients/:client_id'),
          security: apiKeySecurity,
          description: "client_id is Omega's id or the business's own external id. Includes the client's conversations and unread counts.",
          params: Type.Object({ ...businessIdParams.properties, client_id: Type.String({ minLength: 1, maxLength: 200 }) }),
          response: { 200: clientDetailSchema, 404: errorResponse(), ...authErrors },
        },
      },
      async (req) => {
        const c = (await getClient(
          deps,
          { businessId: req.params.business_id, clientId: req.params.client_id },
          {
            include: {
              homeLocation: true,
              conversations: { orderBy: [{ lastActivityAt: 'desc' }, { id: 'desc' }], include: { assignee: true, lastMessage: true, labels: conversationLabelsInclude } },
            },
          },
        )) as ClientDetail;
        return {
          ...toClient(c),
          name: clientName(c),
          home_location: c.homeLocation ? { id: c.homeLocation.id, name: c.homeLocation.name } : null,
          unread_count: c.conversations.reduce((n, conv) => n + conv.unreadCount, 0),
          conversations: c.conversations.map((conv) => toConversation({ ...conv, client: c })),
        };
      },
    );
  };
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Client, Location } from '../src/generated/prisma/client.js';
import { getClient } from '../src/domain/clients/getClient.js';
import { countClientList, listClients, type ClientListFilter } from '../src/domain/clients/listClients.js';
import { mergeClients } from '../src/domain/clients/mergeClients.js';
import { CLIENT_LIMITS, updateClient } from '../src/domain/clients/updateClient.js';
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

/**
 * POST /business-clients/{business_id}/clients/merge shares its path with GET and PATCH
 * /clients/{client_id}: those answer "merge" with the 405 any other method of the merge path gets.
 */
async function mergeIsPostOnly(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  if ((req.params as { client_id?: string }).client_id === 'merge') {
    await reply
      .status(405)
      .header('allow', 'POST')
      .send({ detail: `${req.method} is not allowed on ${req.url.split('?')[0]}; use POST.`, code: 'METHOD_NOT_ALLOWED' });
  }
}

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
        preValidation: mergeIsPostOnly,
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

    app.patch(
      '/business-clients/:business_id/clients/:client_id',
      {
        preValidation: mergeIsPostOnly,
        schema: {
          ...describe('PATCH', '/business-clients/:business_id/clients/:client_id'),
          security: apiKeySecurity,
          description:
            "Edits the fields given (null or absent: unchanged; an empty string or list clears one). Phones are read in the business's phone region and stored E.164; a phone or email another client has is 409 CLIENT_CONTACT_TAKEN naming that client. Publishes client.updated (change: profile).",
          params: Type.Object({ ...businessIdParams.properties, client_id: Type.String({ minLength: 1, maxLength: 200 }) }),
          body: Type.Object(
            optional({
              first_name: Nullable(Type.String({ maxLength: CLIENT_LIMITS.name })),
              last_name: Nullable(Type.String({ maxLength: CLIENT_LIMITS.name })),
              phones: Nullable(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: CLIENT_LIMITS.contacts })),
              emails: Nullable(Type.Array(Type.String({ minLength: 1, maxLength: 320 }), { maxItems: CLIENT_LIMITS.contacts })),
              type: Nullable(Type.String({ maxLength: CLIENT_LIMITS.type })),
              groups: Nullable(Type.Array(Type.String({ maxLength: CLIENT_LIMITS.group }), { maxItems: CLIENT_LIMITS.groups })),
              notes: Nullable(Type.String({ maxLength: CLIENT_LIMITS.notes })),
              home_location_id: Nullable(Type.String({ maxLength: 36, description: 'A location of the business; an empty string clears it.' })),
            }),
            { additionalProperties: false },
          ),
          response: { 200: Type.Object(ClientSchema.properties), 404: errorResponse(), 409: errorResponse(), ...authErrors },
        },
      },
      async (req) => {
        const b = req.body;
        const client = await updateClient(deps, {
          businessId: req.params.business_id,
          clientId: req.params.client_id,
          ...(b.first_name != null ? { firstName: b.first_name } : {}),
          ...(b.last_name != null ? { lastName: b.last_name } : {}),
          ...(b.phones != null ? { phones: b.phones } : {}),
          ...(b.emails != null ? { emails: b.emails } : {}),
          ...(b.type != null ? { type: b.type } : {}),
          ...(b.groups != null ? { groups: b.groups } : {}),
          ...(b.notes != null ? { notes: b.notes } : {}),
          ...(b.home_location_id != null ? { homeLocationId: b.home_location_id } : {}),
        });
        return { ...toClient(client), name: clientName(client) };
      },
    );

    app.post(
      '/business-clients/:business_id/clients/merge',
      {
        schema: {
          ...describe('POST', '/business-clients/:business_id/clients/merge'),
          security: apiKeySecurity,
          description:
            'Merges client merge_id into keep_id in one transaction: messages, calls, conversations and consent (the stricter wins) move to the kept client, phones/emails/groups are unioned; where both have a conversation at the same location the two become one (every message kept, summary and unread counts recomputed). The merged client is marked merged (merged_into_id) and leaves lists. Publishes client.merged and conversation.updated (change: merge).',
          params: businessIdParams,
          body: Type.Object({ keep_id: Uuid(), merge_id: Uuid() }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              client: Type.Object(ClientSchema.properties),
              moved_conversation_ids: Type.Array(Type.String()),
              combined_conversations: Type.Array(Type.Object({ from_id: Type.String(), into_id: Type.String() })),
            }),
            404: errorResponse(),
            409: errorResponse(),
            ...authErrors,
          },
        },
      },
      async (req) => {
        const r = await mergeClients(deps, { businessId: req.params.business_id, keepId: req.body.keep_id, mergeId: req.body.merge_id });
        return {
          client: { ...toClient(r.client), name: clientName(r.client) },
          moved_conversation_ids: r.movedConversationIds,
          combined_conversations: r.combined.map((c) => ({ from_id: c.fromId, into_id: c.intoId })),
        };
      },
    );
  };
}

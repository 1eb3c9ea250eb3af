// The messages group's read routes: messages by request id, and conversation search.
// (Retry and process, which send, are in rest-compat/messages-sending.ts.)
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type, { type Static } from 'typebox';
import { assertService } from '../src/domain/auth/principal.js';
import type { Deps } from '../src/domain/deps.js';
import { getMessagesByRequestId } from '../src/domain/messages/getMessagesByRequestId.js';
import { countMessageMatches, searchMessages } from '../src/domain/messages/searchMessages.js';
import { describe } from './catalog.js';
import { pageSchema, pagingQuery, restList, restPage } from './paging.js';
import { MessageSchema, SearchHitSchema, toMessage } from './representations.js';
import { apiKeySecurity, authErrors, businessIdParams, errorResponse, Ref, Uuid } from './schemas.js';

const requestIdParam = { request_id: Type.String({ minLength: 1, maxLength: 200 }) };
const byRequestResponse = {
  200: Type.Object({ request_id: Type.String(), items: Type.Array(Ref(MessageSchema)), total: Type.Integer() }),
  ...authErrors,
};

const searchQuery = {
  q: Type.String({ minLength: 1, maxLength: 200, description: 'Words, "quoted phrases", OR, -excluded.' }),
  ...pagingQuery,
};
const SearchQuery = Type.Object(searchQuery);
type SearchQuery = Static<typeof SearchQuery>;

const searchResponse = { 200: pageSchema(SearchHitSchema), 404: errorResponse(), ...authErrors };

export function messagesRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const search = async (businessId: string, conversationId: string, q: SearchQuery) => {
      const paging = restPage(q);
      const { take, skip, cursor } = paging.args;
      const input = { businessId, conversationId, query: q.q };
      const [hits, total] = await Promise.all([searchMessages(deps, { ...input, limit: take!, offset: skip ?? 0, ...(cursor ? { afterId: cursor.id } : {}) }), countMessageMatches(deps, input)]);
      // The cursor is the last hit's message id.
      return restList(
        hits.map((h) => ({ ...h, id: h.message.id })),
        paging,
        total,
        (h) => ({ message: toMessage(h.message), rank: h.rank, snippet: h.snippet }),
      );
    };

    app.get(
      '/messages/:business_id/requests/:request_id',
      {
        schema: {
          ...describe('GET', '/messages/:business_id/requests/:request_id'),
          security: apiKeySecurity,
          description: 'The messages one send request produced (one per recipient), with their current statuses.',
          params: Type.Object({ ...businessIdParams.properties, ...requestIdParam }),
          response: byRequestResponse,
        },
      },
      async (req) => {
        const rows = await getMessagesByRequestId(deps, { businessId: req.params.business_id, requestId: req.params.request_id });
        return { request_id: req.params.request_id, items: rows.map(toMessage), total: rows.length };
      },
    );

    app.get(
      '/messages/requests/:request_id',
      {
        schema: {
          ...describe('GET', '/messages/requests/:request_id'),
          security: apiKeySecurity,
          description: 'Across businesses: service keys only.',
          params: Type.Object(requestIdParam),
          response: byRequestResponse,
        },
      },
      async (req) => {
        assertService(req.principal);
        const rows = await getMessagesByRequestId(deps, { requestId: req.params.request_id });
        return { request_id: req.params.request_id, items: rows.map(toMessage), total: rows.length };
      },
    );

    app.get(
      '/messages/:business_id/conversations/:conversation_id/search',
      {
        schema: {
          ...describe('GET', '/messages/:business_id/conversations/:conversation_id/search'),
          security: apiKeySecurity,
          description: 'Full-text search over the whole history, best match first, with <mark>-highlighted snippets.',
          params: Type.Object({ ...businessIdParams.properties, conversation_id: Uuid() }),
          querystring: SearchQuery,
          response: searchResponse,
        },
      },
      async (req) => search(req.params.business_id, req.params.conversation_id, req.query),
    );

    app.get(
      '/messages/:business_id/search',
      {
        schema: {
          ...describe('GET', '/messages/:business_id/search'),
          security: apiKeySecurity,
          description: 'The same search with the conversation in the query string.',
          params: businessIdParams,
          querystring: Type.Object({ ...searchQuery, conversation_id: Uuid() }),
          response: searchResponse,
        },
      },
      async (req) => search(req.params.business_id, req.query.conversation_id, req.query),
    );
  };
}

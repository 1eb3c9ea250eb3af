// The messages group's read routes: messages by request id, and conversation search.
// (Retry and process, which send, are in rest-compat/messages-sending.ts.)
import type { FastifyPluginAsync } from 'fastify';
import { assertService } from '../src/domain/auth/principal.js';
import type { Deps } from '../src/domain/deps.js';
import { getMessagesByRequestId } from '../src/domain/messages/getMessagesByRequestId.js';
import { countMessageMatches, searchMessages } from '../src/domain/messages/searchMessages.js';
import { describe } from './catalog.js';
import { listSchema, pagingQuery, restList, restPage, type PagingQuery } from './paging.js';
import { messageSchema, toMessage } from './representations.js';
import { apiKeySecurity, authErrors, businessIdParams, errorResponse } from './schemas.js';

const requestIdParam = { request_id: { type: 'string', minLength: 1, maxLength: 200 } } as const;
const byRequestResponse = {
  200: {
    type: 'object',
    properties: { request_id: { type: 'string' }, items: { type: 'array', items: messageSchema }, total: { type: 'integer' } },
    required: ['request_id', 'items', 'total'],
  },
  ...authErrors,
} as const;

const searchQuery = {
  q: { type: 'string', minLength: 1, maxLength: 200, description: 'Words, "quoted phrases", OR, -excluded.' },
  ...pagingQuery,
} as const;

const searchHitSchema = {
  type: 'object',
  properties: { message: messageSchema, rank: { type: 'number' }, snippet: { type: 'string' } },
  required: ['message', 'rank', 'snippet'],
} as const;

const searchResponse = { 200: listSchema(searchHitSchema), 404: errorResponse, ...authErrors } as const;

type SearchQuery = PagingQuery & { q: string; conversation_id?: string };

export function messagesRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    const search = async (businessId: string, conversationId: string, q: SearchQuery) => {
      const paging = restPage(q);
      const { take, skip, cursor } = paging.args;
      const input = { businessId, conversationId, query: q.q };
      const [hits, total] = await Promise.all([
        searchMessages(deps, { ...input, limit: take!, offset: skip ?? 0, ...(cursor ? { afterId: cursor.id } : {}) }),
        countMessageMatches(deps, input),
      ]);
      // The cursor is the last hit's message id.
      return restList(hits.map((h) => ({ ...h, id: h.message.id })), paging, total, (h) => ({ message: toMessage(h.message), rank: h.rank, snippet: h.snippet }));
    };

    app.get<{ Params: { business_id: string; request_id: string } }>('/messages/:business_id/requests/:request_id', {
      schema: {
        ...describe('GET', '/messages/:business_id/requests/:request_id'),
        security: apiKeySecurity,
        description: 'The messages one send request produced (one per recipient), with their current statuses.',
        params: { type: 'object', properties: { ...businessIdParams.properties, ...requestIdParam }, required: ['business_id', 'request_id'] },
        response: byRequestResponse,
      },
    }, async (req) => {
      const rows = await getMessagesByRequestId(deps, { businessId: req.params.business_id, requestId: req.params.request_id });
      return { request_id: req.params.request_id, items: rows.map(toMessage), total: rows.length };
    });

    app.get<{ Params: { request_id: string } }>('/messages/requests/:request_id', {
      schema: {
        ...describe('GET', '/messages/requests/:request_id'),
        security: apiKeySecurity,
        description: 'Across businesses: service keys only.',
        params: { type: 'object', properties: requestIdParam, required: ['request_id'] },
        response: byRequestResponse,
      },
    }, async (req) => {
      assertService(req.principal);
      const rows = await getMessagesByRequestId(deps, { requestId: req.params.request_id });
      return { request_id: req.params.request_id, items: rows.map(toMessage), total: rows.length };
    });

    app.get<{ Params: { business_id: string; conversation_id: string }; Querystring: SearchQuery }>('/messages/:business_id/conversations/:conversation_id/search', {
      schema: {
        ...describe('GET', '/messages/:business_id/conversations/:conversation_id/search'),
        security: apiKeySecurity,
        description: 'Full-text search over the whole history, best match first, with <mark>-highlighted snippets.',
        params: { type: 'object', properties: { ...businessIdParams.properties, conversation_id: { type: 'string', format: 'uuid' } }, required: ['business_id', 'conversation_id'] },
        querystring: { type: 'object', properties: searchQuery, required: ['q'] },
        response: searchResponse,
      },
    }, async (req) => search(req.params.business_id, req.params.conversation_id, req.query));

    app.get<{ Params: { business_id: string }; Querystring: SearchQuery & { conversation_id: string } }>('/messages/:business_id/search', {
      schema: {
        ...describe('GET', '/messages/:business_id/search'),
        security: apiKeySecurity,
        description: 'The same search with the conversation in the query string.',
        params: businessIdParams,
        querystring: { type: 'object', properties: { ...searchQuery, conversation_id: { type: 'string', format: 'uuid' } }, required: ['q', 'conversation_id'] },
        response: searchResponse,
      },
    }, async (req) => search(req.params.business_id, req.query.conversation_id, req.query));
  };
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Deps } from '../src/domain/deps.js';
import { INBOX_EVENT_TYPES } from '../src/domain/inbox/inboxEventTypes.js';
import { FEED_DEFAULT_LIMIT, FEED_MAX_LIMIT, listInboxEvents } from '../src/domain/inbox/listInboxEvents.js';
import { INBOX_EVENT_RETENTION_DAYS } from '../src/domain/inbox/pruneInboxEvents.js';
import { describe } from './catalog.js';
import { InboxEventSchema } from './eventSchemas.js';
import { apiKeySecurity, authErrors, businessIdParams, errorResponse, optional, Ref, StringEnum } from './schemas.js';

const feedPageSchema = Type.Object(
  {
    items: Type.Array(Ref(InboxEventSchema)),
    next_cursor: Type.String({ description: 'Pass as `after` to continue; also after an empty page (it may have moved past events that will never come).' }),
  },
  { description: 'A page of the event feed, in log order (no `total`: the log grows as it is read).' },
);

export function eventsRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/businesses/:business_id/events',
      {
        schema: {
          ...describe('GET', '/businesses/:business_id/events'),
          security: apiKeySecurity,
          description: [
            "The business's events, in the order of the `inboxEvents` subscription and in the JSON outbound webhooks POST (`InboxEvent`, version 1), for integrations that poll.",
            "Start without `after` (the oldest event the log keeps), then pass each answer's `next_cursor` as `after`: nothing is missed and nothing comes twice, even while other transactions are still writing events.",
            `A cursor older than the log keeps (${INBOX_EVENT_RETENTION_DAYS} days) answers 410 \`CURSOR_EXPIRED\`: load the state afresh and continue from a new cursor.`,
          ].join(' '),
          params: businessIdParams,
          querystring: Type.Object(
            optional({
              after: Type.String({ maxLength: 64, description: 'The `cursor` of the last event received, or the `next_cursor` of the last page.' }),
              limit: Type.Integer({ minimum: 1, maximum: FEED_MAX_LIMIT, default: FEED_DEFAULT_LIMIT, description: `Events per page, 1 to ${FEED_MAX_LIMIT}.` }),
              types: Type.Array(StringEnum(INBOX_EVENT_TYPES), {
                maxItems: INBOX_EVENT_TYPES.length * 2,
                description: 'Only events of these types; repeat the parameter for several (`?types=message.created&types=conversation.updated`). Omitted: every type.',
              }),
            }),
          ),
          response: { 200: feedPageSchema, 404: errorResponse(), 410: errorResponse('CURSOR_EXPIRED: the cursor is older than the event log keeps'), ...authErrors },
        },
      },
      async (req) => {
        const page = await listInboxEvents(deps, { businessId: req.params.business_id, after: req.query.after ?? null, limit: req.query.limit ?? null, types: req.query.types ?? null });
        return { items: page.items, next_cursor: page.nextCursor };
      },
    );
  };
}

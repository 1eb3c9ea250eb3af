import { inboxEventCursor, streamInboxEvents, type InboxEvent } from '../../domain/inbox/streamInboxEvents.js';
import { builder } from '../builder.js';

const InboxEventRef = builder.objectRef<InboxEvent>('InboxEvent').implement({
  description: 'One entry of a business inbox event log. Pass the last `cursor` you received as `after` to resume.',
  fields: (t) => ({
    cursor: t.string({ resolve: (e) => inboxEventCursor(e) }),
    type: t.exposeString('type', { description: 'message.created, message.status_changed, conversation.updated, conversation.read, client.updated' }),
    businessId: t.string({ resolve: (e) => e.business_id }),
    conversationId: t.string({ nullable: true, resolve: (e) => e.conversation_id }),
    messageId: t.string({ nullable: true, resolve: (e) => e.message_id }),
    payload: t.field({ type: 'JSON', resolve: (e) => e.payload }),
    createdAt: t.field({ type: 'DateTime', resolve: (e) => e.created_at }),
  }),
});

builder.subscriptionType({});

builder.subscriptionField('inboxEvents', (t) =>
  t.field({
    type: InboxEventRef,
    description: 'Inbox events of a business: every event after `after` (if given), then live ones, in order, with no gap and no duplicate.',
    args: {
      businessId: t.arg.string({ required: true }),
      after: t.arg.string({ required: false, description: 'Cursor of the last event received.' }),
    },
    authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
    subscribe: (_root, args, ctx) => streamInboxEvents(ctx.deps, { businessId: args.businessId, after: args.after ?? null }),
    resolve: (event) => event,
  }),
);

import { authorizeBusiness } from '../../domain/auth/authorizeBusiness.js';
import { assertService } from '../../domain/auth/principal.js';
import { getMessagesByRequestId } from '../../domain/messages/getMessagesByRequestId.js';
import { getMessagesHtml } from '../../domain/messages/getMessagesHtml.js';
import { countMessages, listMessages, type MessageListFilter } from '../../domain/messages/listMessages.js';
import { markMessagesRead } from '../../domain/messages/markMessagesRead.js';
import { searchMessages, type MessageSearchHit } from '../../domain/messages/searchMessages.js';
import { authorizeConversation } from '../authz.js';
import { createContextCache } from '@pothos/core';
import { queryFromInfo } from '@pothos/plugin-prisma';
import DataLoader from 'dataloader';
import { builder } from '../builder.js';
import { ownedByBusiness } from '../ownedByBusiness.js';
import type { GraphQLContext } from '../context.js';
import { ChannelEnum, DirectionEnum, MessageStatusEnum, VoiceCallStatusEnum } from './enums.js';

/** Per operation: the HTML of messages read without it (an inbox page's last messages), one statement for those asked together. */
const messageHtml = createContextCache(
  (ctx: GraphQLContext) =>
    new DataLoader<string, string | null>(async (ids) => {
      const html = await getMessagesHtml(ctx.deps, ids);
      return ids.map((id) => html.get(id) ?? null);
    }),
);

export const MessageRef = builder.prismaNode('Message', {
  id: { field: 'id' },
  ...ownedByBusiness((m: { businessId: string }) => m.businessId),
  fields: (t) => ({
    messageId: t.exposeString('id', { description: "Omega's id of the message." }),
    businessId: t.exposeString('businessId'),
    conversationId: t.exposeString('conversationId'),
    channel: t.expose('channel', { type: ChannelEnum }),
    direction: t.expose('direction', { type: DirectionEnum }),
    status: t.expose('status', { type: MessageStatusEnum }),
    body: t.exposeString('body', { nullable: true }),
    subject: t.exposeString('subject', { nullable: true }),
    html: t.string({
      nullable: true,
      description: "The email's HTML. Rows that were read without it (an inbox page's last messages) load it on demand, one statement for all of them.",
      resolve: (m, _args, ctx) => ((m as { html?: string | null }).html !== undefined ? m.html : messageHtml(ctx).load(m.id)),
    }),
    fromAddress: t.exposeString('fromAddress', { nullable: true }),
    toAddress: t.exposeString('toAddress', { nullable: true }),
    media: t.expose('media', { type: 'JSON', description: '[{ url, contentType }]' }),
    provider: t.exposeString('provider', { nullable: true }),
    providerMessageId: t.exposeString('providerMessageId', { nullable: true }),
    requestId: t.exposeString('requestId', { nullable: true }),
    errorCode: t.exposeString('errorCode', { nullable: true }),
    errorMessage: t.exposeString('errorMessage', { nullable: true }),
    attempts: t.exposeInt('attempts'),
    mentionStaffIds: t.exposeStringList('mentionStaffIds'),
    scheduledAt: t.expose('scheduledAt', { type: 'DateTime', nullable: true }),
    sentAt: t.expose('sentAt', { type: 'DateTime', nullable: true }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    readAt: t.expose('readAt', { type: 'DateTime', nullable: true, description: 'Read by the recipient (where the provider reports it).' }),
    failedAt: t.expose('failedAt', { type: 'DateTime', nullable: true }),
    seenAt: t.expose('seenAt', { type: 'DateTime', nullable: true, description: 'Read by the business; null = unread (inbound).' }),
    metadata: t.expose('metadata', { type: 'JSON' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    conversation: t.relation('conversation'),
    client: t.relation('client'),
    authorStaff: t.relation('authorStaff', { nullable: true }),
    voiceCall: t.relation('voiceCall', { nullable: true }),
    events: t.relation('events', { description: 'Status history, oldest first.', query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } }),
  }),
});

builder.prismaObject('MessageEvent', {
  fields: (t) => ({
    id: t.exposeID('id'),
    type: t.exposeString('type'),
    status: t.expose('status', { type: MessageStatusEnum, nullable: true }),
    provider: t.exposeString('provider', { nullable: true }),
    providerEventId: t.exposeString('providerEventId', { nullable: true }),
    errorCode: t.exposeString('errorCode', { nullable: true }),
    errorMessage: t.exposeString('errorMessage', { nullable: true }),
    payload: t.expose('payload', { type: 'JSON' }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
  }),
});

builder.prismaNode('VoiceCall', {
  id: { field: 'id' },
  ...ownedByBusiness((c: { businessId: string }) => c.businessId),
  fields: (t) => ({
    voiceCallId: t.exposeString('id'),
    direction: t.expose('direction', { type: DirectionEnum }),
    status: t.expose('status', { type: VoiceCallStatusEnum }),
    providerCallSid: t.exposeString('providerCallSid', { nullable: true }),
    fromNumber: t.exposeString('fromNumber', { nullable: true }),
    toNumber: t.exposeString('toNumber', { nullable: true }),
    durationSeconds: t.exposeInt('durationSeconds', { nullable: true }),
    recordingUrl: t.exposeString('recordingUrl', { nullable: true }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    answeredAt: t.expose('answeredAt', { type: 'DateTime', nullable: true }),
    endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
    staff: t.relation('staff', { nullable: true }),
    client: t.relation('client', { nullable: true }),
  }),
});

const MessageFilter = builder.inputType('MessageFilterInput', {
  fields: (t) => ({
    channel: t.field({ type: ChannelEnum }),
    direction: t.field({ type: DirectionEnum }),
    status: t.field({ type: [MessageStatusEnum] }),
    before: t.field({ type: 'DateTime', description: 'Created before this time.' }),
    after: t.field({ type: 'DateTime', description: 'Created at or after this time.' }),
  }),
});

type MessageFilterArg = { channel?: MessageListFilter['channel'] | null; direction?: MessageListFilter['direction'] | null; status?: string[] | null; before?: Date | null; after?: Date | null };

function toFilter(f: MessageFilterArg | null | undefined): MessageListFilter {
  return {
    ...(f?.channel ? { channel: f.channel } : {}),
    ...(f?.direction ? { direction: f.direction } : {}),
    ...(f?.status?.length ? { status: f.status } : {}),
    ...(f?.before ? { before: f.before } : {}),
    ...(f?.after ? { after: f.after } : {}),
  };
}

const MessageSearchHitRef = builder.objectRef<MessageSearchHit>('MessageSearchHit').implement({
  fields: (t) => ({
    // Loaded by searchMessages with the selection planned for this path (queryFromInfo).
    message: t.field({ type: MessageRef, resolve: (hit) => hit.message }),
    rank: t.exposeFloat('rank'),
    snippet: t.exposeString('snippet', { description: 'Matching text with <mark>…</mark> around matched words.' }),
  }),
});

const MarkReadPayload = builder.objectRef<{ updated: number; staffUpdated: number | null }>('MarkMessagesReadPayload').implement({
  fields: (t) => ({
    updated: t.exposeInt('updated', { description: 'Inbound messages whose read state changed for the business.' }),
    staffUpdated: t.exposeInt('staffUpdated', { nullable: true, description: 'With staffId: messages whose state changed for that staff member.' }),
  }),
});

const MarkReadInput = builder.inputType('MarkMessagesReadInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    read: t.boolean({ required: true, description: 'true: mark read; false: mark unread.' }),
    conversationId: t.string(),
    messageIds: t.stringList(),
    channel: t.field({ type: ChannelEnum }),
    before: t.field({ type: 'DateTime' }),
    after: t.field({ type: 'DateTime' }),
    staffId: t.string({ description: "Also move this staff member's read position (API key; a session is its own staff member: default, and any other one is STAFF_FORBIDDEN)." }),
  }),
});

builder.queryFields((t) => ({
  messages: t.prismaConnection(
    {
      type: 'Message',
      cursor: 'id',
      description: "A conversation's messages, newest first.",
      args: { conversationId: t.arg.string({ required: true }), filter: t.arg({ type: MessageFilter }) },
      resolve: async (query, _root, args, ctx) => {
        const businessId = await authorizeConversation(ctx, args.conversationId);
        const { take, skip, cursor, ...select } = query;
        return listMessages(
          ctx.deps,
          { businessId, conversationId: args.conversationId, filter: toFilter(args.filter), page: { take, skip, ...(cursor ? { cursor: cursor as { id: string } } : {}) } },
          select,
        );
      },
      totalCount: async (_p, args, ctx) => {
        const conversationId = args.conversationId as string;
        const businessId = await authorizeConversation(ctx, conversationId);
        return countMessages(ctx.deps, { businessId, conversationId, filter: toFilter(args.filter as MessageFilterArg | null) });
      },
    },
    {},
  ),
  searchMessages: t.field({
    type: [MessageSearchHitRef],
    description: 'Full-text search over a conversation’s whole history, best match first, with highlighted snippets.',
    args: { conversationId: t.arg.string({ required: true }), query: t.arg.string({ required: true }), first: t.arg.int({ defaultValue: 20 }), offset: t.arg.int({ defaultValue: 0 }) },
    resolve: async (_root, args, ctx, info) => {
      const businessId = await authorizeConversation(ctx, args.conversationId);
      return searchMessages(
        ctx.deps,
        { businessId, conversationId: args.conversationId, query: args.query, limit: args.first ?? 20, offset: args.offset ?? 0 },
        queryFromInfo({ context: ctx, info, typeName: 'Message', path: ['message'] }),
      );
    },
  }),
  messagesByRequestId: t.prismaField({
    type: ['Message'],
    description: 'The messages one send request produced, with their statuses. Without businessId: service keys only.',
    args: { requestId: t.arg.string({ required: true }), businessId: t.arg.string() },
    resolve: async (query, _root, args, ctx) => {
      if (args.businessId) await authorizeBusiness(ctx.deps, ctx.principal, args.businessId);
      else assertService(ctx.principal);
      return getMessagesByRequestId(ctx.deps, { requestId: args.requestId, ...(args.businessId ? { businessId: args.businessId } : {}) }, query);
    },
  }),
}));

builder.mutationField('markMessagesRead', (t) =>
  t.field({
    type: MarkReadPayload,
    description: 'Marks inbound messages read or unread by conversation, ids, channel and time bounds; answers how many changed.',
    args: { input: t.arg({ type: MarkReadInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: (_root, { input }, ctx) =>
      markMessagesRead(ctx.deps, {
        principal: ctx.principal,
        businessId: input.businessId,
        read: input.read,
        ...(input.conversationId ? { conversationId: input.conversationId } : {}),
        ...(input.messageIds ? { messageIds: input.messageIds } : {}),
        ...(input.channel ? { channel: input.channel } : {}),
        ...(input.before ? { before: input.before } : {}),
        ...(input.after ? { after: input.after } : {}),
        ...(input.staffId ? { staffId: input.staffId } : {}),
      }),
  }),
);

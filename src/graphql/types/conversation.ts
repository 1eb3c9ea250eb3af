import { addNote } from '../../domain/conversations/addNote.js';
import { assignConversation } from '../../domain/conversations/assignConversation.js';
import { getConversation } from '../../domain/conversations/getConversation.js';
import { getConversationFilters, type ConversationFilters, type FilterOption } from '../../domain/conversations/getConversationFilters.js';
import { countConversationList, listConversations, type ConversationListFilter } from '../../domain/conversations/listConversations.js';
import { openConversation } from '../../domain/conversations/openConversation.js';
import { searchConversations, type ConversationSearchHit } from '../../domain/conversations/searchConversations.js';
import { updateConversationStatus } from '../../domain/conversations/updateConversationStatus.js';
import { getMessage } from '../../domain/messages/getMessage.js';
import { authorizeConversation } from '../authz.js';
import { queryFromInfo } from '@pothos/plugin-prisma';
import { builder } from '../builder.js';
import { ownedByBusiness } from '../ownedByBusiness.js';
import { ChannelEnum, ConversationStatusEnum, DirectionEnum, InboxViewEnum } from './enums.js';

export const ConversationRef = builder.prismaNode('Conversation', {
  id: { field: 'id' },
  ...ownedByBusiness((c: { businessId: string }) => c.businessId),
  fields: (t) => ({
    conversationId: t.exposeString('id', { description: "Omega's id of the conversation." }),
    businessId: t.exposeString('businessId'),
    status: t.expose('status', { type: ConversationStatusEnum }),
    snoozedUntil: t.expose('snoozedUntil', { type: 'DateTime', nullable: true }),
    pinned: t.exposeBoolean('pinned'),
    muted: t.exposeBoolean('muted'),
    unreadCount: t.exposeInt('unreadCount'),
    replied: t.boolean({ description: 'The last message went out from the business.', resolve: (c) => c.lastMessageDirection === 'outbound' }),
    lastMessageAt: t.expose('lastMessageAt', { type: 'DateTime', nullable: true }),
    lastActivityAt: t.expose('lastActivityAt', { type: 'DateTime' }),
    lastMessagePreview: t.exposeString('lastMessagePreview', { nullable: true }),
    lastMessageChannel: t.expose('lastMessageChannel', { type: ChannelEnum, nullable: true }),
    lastMessageDirection: t.expose('lastMessageDirection', { type: DirectionEnum, nullable: true }),
    lastInboundAt: t.expose('lastInboundAt', { type: 'DateTime', nullable: true }),
    lastOutboundAt: t.expose('lastOutboundAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    client: t.relation('client'),
    location: t.relation('location'),
    assignee: t.relation('assignee', { nullable: true }),
    lastMessage: t.relation('lastMessage', { nullable: true }),
    readPositions: t.relation('reads', { description: 'Per staff read positions.' }),
    recentMessages: t.relatedConnection('messages', { cursor: 'id', query: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] } }),
  }),
});

builder.prismaObject('ConversationRead', {
  fields: (t) => ({
    staffId: t.exposeString('staffId'),
    lastReadAt: t.expose('lastReadAt', { type: 'DateTime', nullable: true }),
    unreadCount: t.exposeInt('unreadCount'),
    staff: t.relation('staff'),
  }),
});

const LabelMatchEnum = builder.enumType('LabelMatch', { description: 'any: at least one of the labels; all: every one of them.', values: ['any', 'all'] as const });

export const ConversationFilterInput = builder.inputType('ConversationFilterInput', {
  fields: (t) => ({
    view: t.field({ type: InboxViewEnum }),
    assigneeId: t.string(),
    unassigned: t.boolean(),
    channel: t.field({ type: ChannelEnum }),
    locationId: t.string(),
    clientId: t.string(),
    clientType: t.string(),
    clientGroup: t.string(),
    pinned: t.boolean(),
    from: t.field({ type: 'DateTime', description: 'Last activity at or after.' }),
    to: t.field({ type: 'DateTime', description: 'Last activity before.' }),
    labelIds: t.stringList({ description: 'Conversations with any (labelMatch any, the default) or all of these labels (at most 50).' }),
    labelMatch: t.field({ type: LabelMatchEnum }),
    viewerStaffId: t.string({ description: 'View mentions with an API key: the staff member whose mentions (a session is its own staff member).' }),
  }),
});

type FilterArg = { [K in keyof ConversationListFilter]?: ConversationListFilter[K] | null };

export function toConversationFilter(f: FilterArg | null | undefined): ConversationListFilter {
  const out: ConversationListFilter = {};
  if (!f) return out;
  for (const [key, value] of Object.entries(f)) if (value !== null && value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}

const FilterOptionRef = builder.objectRef<FilterOption>('ConversationFilterOption').implement({
  fields: (t) => ({
    value: t.exposeString('value', { nullable: true, description: 'null: unassigned (assignees).' }),
    label: t.exposeString('label'),
    count: t.exposeInt('count'),
    unreadCount: t.int({
      nullable: true,
      description:
        "Views, with a viewer (a session, or viewerStaffId): the view's conversations that staff member has not read (mentions: with a mention newer than their read position); null without a viewer.",
      resolve: (o) => o.unreadCount ?? null,
    }),
    color: t.string({ nullable: true, description: "Labels: the label's colour.", resolve: (o) => o.color ?? null }),
  }),
});

const ConversationFiltersRef = builder.objectRef<ConversationFilters>('ConversationFilters').implement({
  fields: (t) => ({
    views: t.field({ type: [FilterOptionRef], resolve: (f) => f.views }),
    assignees: t.field({ type: [FilterOptionRef], resolve: (f) => f.assignees }),
    channels: t.field({ type: [FilterOptionRef], resolve: (f) => f.channels }),
    locations: t.field({ type: [FilterOptionRef], resolve: (f) => f.locations }),
    clientTypes: t.field({ type: [FilterOptionRef], resolve: (f) => f.clientTypes }),
    clientGroups: t.field({ type: [FilterOptionRef], resolve: (f) => f.clientGroups }),
    labels: t.field({ type: [FilterOptionRef], description: 'Every label, by name, with its conversations (not archived).', resolve: (f) => f.labels }),
    viewerStaffId: t.string({ nullable: true, description: 'The staff member the unread counts are for.', resolve: (f) => f.viewerStaffId }),
    dateFrom: t.field({ type: 'DateTime', nullable: true, resolve: (f) => f.dateRange.from }),
    dateTo: t.field({ type: 'DateTime', nullable: true, resolve: (f) => f.dateRange.to }),
  }),
});

const ConversationSearchHitRef = builder.objectRef<ConversationSearchHit>('ConversationSearchHit').implement({
  fields: (t) => ({
    // Loaded by searchConversations with the selection planned for this path (queryFromInfo).
    conversation: t.field({ type: ConversationRef, resolve: (hit) => hit.conversation }),
    rank: t.exposeFloat('rank'),
    snippet: t.exposeString('snippet', { nullable: true, description: 'Best matching message text with <mark>…</mark>.' }),
    matched: t.exposeString('matched', { description: 'messages, client or both.' }),
    messageId: t.exposeString('messageId', { nullable: true, description: 'The best matching message.' }),
  }),
});

builder.queryFields((t) => ({
  conversations: t.prismaConnection(
    {
      type: 'Conversation',
      cursor: 'id',
      description: 'The inbox: pinned first, then most recent activity. Filters combine.',
      args: { businessId: t.arg.string({ required: true }), filter: t.arg({ type: ConversationFilterInput }) },
      authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
      resolve: (query, _root, args, ctx) => {
        const { take, skip, cursor, ...select } = query;
        return listConversations(
          ctx.deps,
          {
            businessId: args.businessId,
            filter: toConversationFilter(args.filter),
            page: { take, skip, ...(cursor ? { cursor: cursor as { id: string } } : {}) },
            principal: ctx.principal,
          },
          select,
        );
      },
      totalCount: (_p, args, ctx) =>
        countConversationList(ctx.deps, { businessId: args.businessId as string, filter: toConversationFilter(args.filter as FilterArg | null), principal: ctx.principal }),
    },
    {},
  ),
  conversation: t.prismaField({
    type: 'Conversation',
    args: { id: t.arg.string({ required: true, description: "Omega's conversation id." }) },
    resolve: (query, _root, args, ctx) => getConversation(ctx.deps, { conversationId: args.id }, query),
  }),
  conversationFilters: t.field({
    type: ConversationFiltersRef,
    args: {
      businessId: t.arg.string({ required: true }),
      viewerStaffId: t.arg.string({ description: 'With an API key: the staff member whose unread counts per view to give (a session gets its own).' }),
    },
    authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
    resolve: (_root, args, ctx) => getConversationFilters(ctx.deps, args.businessId, { principal: ctx.principal, viewerStaffId: args.viewerStaffId ?? null }),
  }),
  searchConversations: t.field({
    type: [ConversationSearchHitRef],
    description:
      'Conversations by message text (full text) or client name (partial, misspelt), phone or email (partial). Message text ranks the 300 most recent matching messages of the business, the best one per conversation.',
    args: { businessId: t.arg.string({ required: true }), query: t.arg.string({ required: true }), first: t.arg.int({ defaultValue: 20 }), offset: t.arg.int({ defaultValue: 0 }) },
    authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
    resolve: (_root, args, ctx, info) =>
      searchConversations(
        ctx.deps,
        { businessId: args.businessId, query: args.query, limit: args.first ?? 20, offset: args.offset ?? 0 },
        queryFromInfo({ context: ctx, info, typeName: 'Conversation', path: ['conversation'] }),
      ),
  }),
}));

const CreateOrGetConversationInput = builder.inputType('CreateOrGetConversationInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    clientId: t.string(),
    clientExternalId: t.string(),
    phone: t.string(),
    email: t.string(),
    firstName: t.string({ description: 'Used when the client is created.' }),
    lastName: t.string(),
    locationId: t.string({ description: "Default: the client's home location, else the business's default." }),
  }),
});

const AddNoteInput = builder.inputType('AddNoteInput', {
  fields: (t) => ({
    conversationId: t.string({ required: true }),
    body: t.string({ required: true }),
    authorStaffId: t.string({ description: 'The author (API key; a session is its own staff member: default, and any other one is STAFF_FORBIDDEN).' }),
    mentionStaffIds: t.stringList(),
  }),
});

const AssignConversationInput = builder.inputType('AssignConversationInput', {
  fields: (t) => ({
    conversationId: t.string({ required: true }),
    staffId: t.string({ description: 'null or omitted: unassign.' }),
  }),
});

const UpdateConversationStatusInput = builder.inputType('UpdateConversationStatusInput', {
  fields: (t) => ({
    conversationId: t.string({ required: true }),
    status: t.field({ type: ConversationStatusEnum }),
    snoozedUntil: t.field({ type: 'DateTime', description: 'With status snoozed; omitted: until the next inbound message.' }),
    pinned: t.boolean(),
    muted: t.boolean(),
  }),
});

builder.mutationFields((t) => ({
  createOrGetConversation: t.prismaField({
    type: 'Conversation',
    description: 'The conversation of a client at a location, created on first contact; concurrent calls get the same one.',
    args: { input: t.arg({ type: CreateOrGetConversationInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: async (query, _root, { input }, ctx) => {
      const { conversation } = await openConversation(ctx.deps, {
        businessId: input.businessId,
        clientId: input.clientId ?? null,
        externalId: input.clientExternalId ?? null,
        phone: input.phone ?? null,
        email: input.email ?? null,
        firstName: input.firstName ?? null,
        lastName: input.lastName ?? null,
        locationId: input.locationId ?? null,
      });
      return getConversation(ctx.deps, { conversationId: conversation.id }, query);
    },
  }),
  addNote: t.prismaField({
    type: 'Message',
    description: 'An internal note (channel note), with @mentions of staff recorded.',
    args: { input: t.arg({ type: AddNoteInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const businessId = await authorizeConversation(ctx, input.conversationId);
      const note = await addNote(ctx.deps, {
        principal: ctx.principal,
        businessId,
        conversationId: input.conversationId,
        body: input.body,
        authorStaffId: input.authorStaffId ?? null,
        mentionStaffIds: input.mentionStaffIds ?? [],
      });
      return getMessage(ctx.deps, { messageId: note.id }, query);
    },
  }),
  assignConversation: t.prismaField({
    type: 'Conversation',
    args: { input: t.arg({ type: AssignConversationInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const businessId = await authorizeConversation(ctx, input.conversationId);
      await assignConversation(ctx.deps, { businessId, conversationId: input.conversationId, staffId: input.staffId ?? null });
      return getConversation(ctx.deps, { conversationId: input.conversationId }, query);
    },
  }),
  updateConversationStatus: t.prismaField({
    type: 'Conversation',
    args: { input: t.arg({ type: UpdateConversationStatusInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const businessId = await authorizeConversation(ctx, input.conversationId);
      await updateConversationStatus(ctx.deps, {
        businessId,
        conversationId: input.conversationId,
        ...(input.status ? { status: input.status } : {}),
        ...(input.snoozedUntil ? { snoozedUntil: input.snoozedUntil } : {}),
        ...(input.pinned != null ? { pinned: input.pinned } : {}),
        ...(input.muted != null ? { muted: input.muted } : {}),
      });
      return getConversation(ctx.deps, { conversationId: input.conversationId }, query);
    },
  }),
}));

// Labels of a business, labels on conversations (Conversation.labels, without N+1: one statement
// for the conversations asked together) and bulk actions on conversations.
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { bulkUpdateConversations, type BulkResult } from '../../domain/conversations/bulkUpdateConversations.js';
import { getConversation } from '../../domain/conversations/getConversation.js';
import { changeConversationLabels } from '../../domain/labels/changeConversationLabels.js';
import { createLabel } from '../../domain/labels/createLabel.js';
import { deleteLabel } from '../../domain/labels/deleteLabel.js';
import { getConversationsLabels } from '../../domain/labels/getConversationLabels.js';
import { getLabel, listLabels } from '../../domain/labels/getLabel.js';
import { MAX_LABELS, type LabelView } from '../../domain/labels/labelFields.js';
import { updateLabel } from '../../domain/labels/updateLabel.js';
import { authorizeConversation } from '../authz.js';
import { builder } from '../builder.js';
import { ownedByBusiness } from '../ownedByBusiness.js';
import type { GraphQLContext } from '../context.js';
import { ConversationFilterInput, ConversationRef, toConversationFilter } from './conversation.js';
import { ConversationStatusEnum } from './enums.js';

export const LabelRef = builder.objectRef<LabelView>('Label').implement({
  ...ownedByBusiness((label: LabelView) => label.businessId),
  description: 'A label of a business: a name unique whatever its case, a colour, a description.',
  fields: (t) => ({
    id: t.exposeString('id'),
    businessId: t.exposeString('businessId'),
    name: t.exposeString('name'),
    color: t.exposeString('color', { description: '#rrggbb' }),
    description: t.exposeString('description', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

/** Per operation: the labels of the conversations resolved together (a page), one statement per business. */
const conversationLabels = createContextCache(
  (ctx: GraphQLContext) =>
    new DataLoader<{ businessId: string; id: string }, LabelView[], string>(
      async (keys) => {
        const byBusiness = new Map<string, string[]>();
        for (const k of keys) byBusiness.set(k.businessId, [...(byBusiness.get(k.businessId) ?? []), k.id]);
        const found = new Map<string, LabelView[]>();
        for (const [businessId, ids] of byBusiness) for (const [id, labels] of await getConversationsLabels(ctx.deps, businessId, ids)) found.set(id, labels);
        return keys.map((k) => found.get(k.id) ?? []);
      },
      { cacheKeyFn: (k) => k.id },
    ),
);

builder.objectField(ConversationRef, 'labels', (t) =>
  t.field({
    type: [LabelRef],
    description: "The conversation's labels, by name. A page's conversations load theirs in one statement, whatever the page size.",
    resolve: (c, _args, ctx) => conversationLabels(ctx).load({ businessId: c.businessId, id: c.id }),
  }),
);

const CreateLabelInput = builder.inputType('CreateLabelInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    name: t.string({ required: true, description: 'Unique in the business whatever its case; 1 to 50 characters.' }),
    color: t.string({ required: true, description: '#rrggbb' }),
    description: t.string({ description: 'At most 500 characters.' }),
  }),
});

const UpdateLabelInput = builder.inputType('UpdateLabelInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    id: t.string({ required: true }),
    name: t.string(),
    color: t.string({ description: '#rrggbb' }),
    description: t.string({ description: 'An empty string clears it.' }),
  }),
});

const LabelIdInput = builder.inputType('LabelIdInput', {
  fields: (t) => ({ businessId: t.string({ required: true }), id: t.string({ required: true }) }),
});

const ConversationLabelsInput = builder.inputType('ConversationLabelsInput', {
  fields: (t) => ({
    conversationId: t.string({ required: true }),
    labelIds: t.stringList({ required: true, description: 'At most 50; each a label of the conversation’s business.' }),
  }),
});

const DeletedLabel = builder.objectRef<{ id: string; conversations: number }>('DeletedLabel').implement({
  fields: (t) => ({
    id: t.exposeString('id'),
    conversations: t.exposeInt('conversations', { description: 'How many conversations it was taken off (each with a conversation.updated event).' }),
  }),
});

const BulkTargetInput = builder.inputType('BulkConversationTarget', {
  description: 'Either ids (at most 1,000) or a list filter (at most 10,000 matches).',
  fields: (t) => ({
    ids: t.stringList(),
    filter: t.field({ type: ConversationFilterInput }),
  }),
});

const BulkActionInput = builder.inputType('BulkConversationAction', {
  description: 'What to do; several may combine. Assignment and status follow assignConversation and updateConversationStatus.',
  fields: (t) => ({
    assigneeId: t.string({ description: 'Assign to this staff member.' }),
    unassign: t.boolean({ description: 'true: unassign.' }),
    addLabelIds: t.stringList(),
    removeLabelIds: t.stringList(),
    status: t.field({ type: ConversationStatusEnum }),
    snoozedUntil: t.field({ type: 'DateTime', description: 'With status snoozed; omitted: until the next inbound message.' }),
  }),
});

const BulkFailureRef = builder.objectRef<BulkResult['failed'][number]>('BulkConversationFailure').implement({
  fields: (t) => ({ conversationId: t.exposeString('conversationId'), code: t.exposeString('code'), message: t.exposeString('message') }),
});

const BulkResultRef = builder.objectRef<BulkResult>('BulkConversationResult').implement({
  fields: (t) => ({
    matched: t.exposeInt('matched', { description: "Conversations the target named (the business's) or the filter matched." }),
    changed: t.exposeInt('changed', { description: 'Changed, each with its events.' }),
    unchanged: t.exposeInt('unchanged', { description: 'Already as asked.' }),
    skipped: t.exposeInt('skipped', { description: 'Matched by the filter at first, no longer when their chunk ran.' }),
    failed: t.field({ type: [BulkFailureRef], description: 'Ids not of the business, and chunks that failed, with why.', resolve: (r) => r.failed }),
  }),
});

builder.queryFields((t) => ({
  labels: t.field({
    type: [LabelRef],
    description: `A business's labels, oldest first (at most ${MAX_LABELS}).`,
    args: { businessId: t.arg.string({ required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
    resolve: (_root, args, ctx) => listLabels(ctx.deps, { principal: ctx.principal, businessId: args.businessId, page: { take: MAX_LABELS } }),
  }),
  label: t.field({
    type: LabelRef,
    args: { businessId: t.arg.string({ required: true }), id: t.arg.string({ required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
    resolve: (_root, args, ctx) => getLabel(ctx.deps, { principal: ctx.principal, businessId: args.businessId, id: args.id }),
  }),
}));

builder.mutationFields((t) => ({
  createLabel: t.field({
    type: LabelRef,
    description: 'A new label (409 LABEL_NAME_TAKEN: a label of that name, whatever its case, exists; 409 LABEL_LIMIT past 500).',
    args: { input: t.arg({ type: CreateLabelInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: (_root, { input }, ctx) => createLabel(ctx.deps, { principal: ctx.principal, businessId: input.businessId, name: input.name, color: input.color, description: input.description ?? null }),
  }),
  updateLabel: t.field({
    type: LabelRef,
    description: 'Renames, recolours or redescribes a label.',
    args: { input: t.arg({ type: UpdateLabelInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: (_root, { input }, ctx) =>
      updateLabel(ctx.deps, {
        principal: ctx.principal,
        businessId: input.businessId,
        id: input.id,
        ...(input.name != null ? { name: input.name } : {}),
        ...(input.color != null ? { color: input.color } : {}),
        ...(input.description != null ? { description: input.description } : {}),
      }),
  }),
  deleteLabel: t.field({
    type: DeletedLabel,
    description: 'Deletes a label: it comes off every conversation (a conversation.updated event each), and a label.changed event.',
    args: { input: t.arg({ type: LabelIdInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: async (_root, { input }, ctx) => ({ id: input.id, ...(await deleteLabel(ctx.deps, { principal: ctx.principal, businessId: input.businessId, id: input.id })) }),
  }),
  addConversationLabels: t.prismaField({
    type: 'Conversation',
    description: 'Puts labels on a conversation; a conversation.updated event (change labels) when one was not on it yet.',
    args: { input: t.arg({ type: ConversationLabelsInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const businessId = await authorizeConversation(ctx, input.conversationId);
      await changeConversationLabels(ctx.deps, { principal: ctx.principal, businessId, conversationId: input.conversationId, addLabelIds: input.labelIds });
      return getConversation(ctx.deps, { conversationId: input.conversationId }, query);
    },
  }),
  removeConversationLabels: t.prismaField({
    type: 'Conversation',
    description: 'Takes labels off a conversation; a conversation.updated event (change labels) when one was on it.',
    args: { input: t.arg({ type: ConversationLabelsInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const businessId = await authorizeConversation(ctx, input.conversationId);
      await changeConversationLabels(ctx.deps, { principal: ctx.principal, businessId, conversationId: input.conversationId, removeLabelIds: input.labelIds });
      return getConversation(ctx.deps, { conversationId: input.conversationId }, query);
    },
  }),
  bulkUpdateConversations: t.field({
    type: BulkResultRef,
    description:
      'One action on many conversations (ids, at most 1,000, or a list filter, at most 10,000): assign or unassign, add or remove labels, change the status. In transactions of 200 conversations locked in id order; one event per real change.',
    args: {
      businessId: t.arg.string({ required: true }),
      target: t.arg({ type: BulkTargetInput, required: true }),
      action: t.arg({ type: BulkActionInput, required: true }),
    },
    authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
    resolve: (_root, args, ctx) =>
      bulkUpdateConversations(ctx.deps, {
        principal: ctx.principal,
        businessId: args.businessId,
        target: { ids: args.target.ids ?? null, filter: args.target.filter ? toConversationFilter(args.target.filter) : null },
        action: {
          ...(args.action.unassign ? { assigneeId: null } : args.action.assigneeId != null ? { assigneeId: args.action.assigneeId } : {}),
          addLabelIds: args.action.addLabelIds ?? null,
          removeLabelIds: args.action.removeLabelIds ?? null,
          status: args.action.status ?? null,
          snoozedUntil: args.action.snoozedUntil ?? null,
        },
      }),
  }),
}));

import { authorizeBusiness } from '../../domain/auth/authorizeBusiness.js';
import { getClient } from '../../domain/clients/getClient.js';
import { mergeClients } from '../../domain/clients/mergeClients.js';
import { updateClient } from '../../domain/clients/updateClient.js';
import { countClientList, listClients, type ClientListFilter } from '../../domain/clients/listClients.js';
import { builder } from '../builder.js';
import { ownedByBusiness } from '../ownedByBusiness.js';

export const ClientRef = builder.prismaNode('Client', {
  id: { field: 'id' },
  ...ownedByBusiness((client: { businessId: string }) => client.businessId),
  fields: (t) => ({
    clientId: t.exposeString('id', { description: "Omega's id of the client." }),
    businessId: t.exposeString('businessId'),
    externalId: t.exposeString('externalId', { nullable: true }),
    firstName: t.exposeString('firstName', { nullable: true }),
    lastName: t.exposeString('lastName', { nullable: true }),
    name: t.string({ resolve: (c) => [c.firstName, c.lastName].filter(Boolean).join(' ') || c.phones[0] || c.emails[0] || 'Unknown' }),
    phones: t.exposeStringList('phones', { description: 'E.164; the first is the primary number.' }),
    emails: t.exposeStringList('emails'),
    type: t.exposeString('type', { nullable: true }),
    groups: t.exposeStringList('groups'),
    smsOptOut: t.exposeBoolean('smsOptOut'),
    smsOptOutAt: t.expose('smsOptOutAt', { type: 'DateTime', nullable: true }),
    emailSuppressed: t.exposeBoolean('emailSuppressed'),
    emailSuppressionReason: t.exposeString('emailSuppressionReason', { nullable: true }),
    metadata: t.expose('metadata', { type: 'JSON' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    notes: t.exposeString('notes', { nullable: true, description: 'Free text about the client (updateClient).' }),
    mergedIntoId: t.exposeString('mergedIntoId', { nullable: true, description: 'Set when this client was merged into another (mergeClients): the client that holds its messages now.' }),
    mergedAt: t.expose('mergedAt', { type: 'DateTime', nullable: true }),
    homeLocation: t.relation('homeLocation', { nullable: true }),
    conversations: t.relation('conversations', { query: { orderBy: [{ lastActivityAt: 'desc' }, { id: 'desc' }] } }),
    unreadCount: t.int({
      description: 'Unread inbound messages over all of this client’s conversations.',
      select: { conversations: { select: { unreadCount: true } } },
      resolve: (c) => c.conversations.reduce((n, conv) => n + conv.unreadCount, 0),
    }),
  }),
});

const ClientFilter = builder.inputType('ClientFilterInput', {
  fields: (t) => ({
    type: t.string(),
    group: t.string(),
    homeLocationId: t.string(),
    externalId: t.string(),
    smsOptOut: t.boolean(),
    emailSuppressed: t.boolean(),
  }),
});

type ClientFilterArg = { type?: string | null; group?: string | null; homeLocationId?: string | null; externalId?: string | null; smsOptOut?: boolean | null; emailSuppressed?: boolean | null };

function toFilter(search: string | null | undefined, f: ClientFilterArg | null | undefined): ClientListFilter {
  return {
    ...(search ? { search } : {}),
    ...(f?.type ? { type: f.type } : {}),
    ...(f?.group ? { group: f.group } : {}),
    ...(f?.homeLocationId ? { homeLocationId: f.homeLocationId } : {}),
    ...(f?.externalId ? { externalId: f.externalId } : {}),
    ...(f?.smsOptOut != null ? { smsOptOut: f.smsOptOut } : {}),
    ...(f?.emailSuppressed != null ? { emailSuppressed: f.emailSuppressed } : {}),
  };
}

builder.queryFields((t) => ({
  clients: t.prismaConnection(
    {
      type: 'Client',
      cursor: 'id',
      description: 'Clients of a business by name; with `search`, best match of name, phone or email first.',
      args: { businessId: t.arg.string({ required: true }), search: t.arg.string(), filter: t.arg({ type: ClientFilter }) },
      authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
      resolve: (query, _root, args, ctx) => {
        const { take, skip, cursor, ...select } = query;
        return listClients(
          ctx.deps,
          { businessId: args.businessId, filter: toFilter(args.search, args.filter), page: { take, skip, ...(cursor ? { cursor: cursor as { id: string } } : {}) } },
          select,
        );
      },
      totalCount: (_p, args, ctx) => countClientList(ctx.deps, { businessId: args.businessId as string, filter: toFilter(args.search as string | null, args.filter as ClientFilterArg | null) }),
    },
    {},
  ),
  client: t.prismaField({
    type: 'Client',
    description: 'A client by Omega id (or external id, with businessId).',
    args: { id: t.arg.string({ required: true }), businessId: t.arg.string() },
    resolve: async (query, _root, args, ctx) => {
      if (args.businessId) await authorizeBusiness(ctx.deps, ctx.principal, args.businessId);
      return getClient(ctx.deps, { clientId: args.id, ...(args.businessId ? { businessId: args.businessId } : {}) }, query);
    },
  }),
}));

const UpdateClientInput = builder.inputType('UpdateClientInput', {
  description: 'Fields left out (or null) stay as they are; an empty string or list clears one.',
  fields: (t) => ({
    businessId: t.string({ required: true }),
    clientId: t.string({ required: true, description: "Omega's id or the business's external id." }),
    firstName: t.string(),
    lastName: t.string(),
    phones: t.stringList({
      description: "Replaces the phone numbers (first is primary); national numbers read in the business's phone region, stored E.164. One another client has: CLIENT_CONTACT_TAKEN (409).",
    }),
    emails: t.stringList({ description: 'Replaces the email addresses (first is primary), lower-cased. One another client has: CLIENT_CONTACT_TAKEN (409).' }),
    type: t.string(),
    groups: t.stringList(),
    notes: t.string(),
    homeLocationId: t.string(),
  }),
});

const MergeClientsInput = builder.inputType('MergeClientsInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    keepId: t.string({ required: true, description: 'The client that stays.' }),
    mergeId: t.string({ required: true, description: 'The client merged into it (marked merged; gone from lists).' }),
  }),
});

const CombinedConversationsRef = builder.objectRef<{ fromId: string; intoId: string }>('MergedConversation').implement({
  fields: (t) => ({
    fromId: t.exposeString('fromId', { description: 'The merged client’s conversation (deleted; its messages moved).' }),
    intoId: t.exposeString('intoId', { description: 'The kept client’s conversation at the same location, which holds them now.' }),
  }),
});

const MergeClientsResultRef = builder.objectRef<{ clientId: string; movedConversationIds: string[]; combined: { fromId: string; intoId: string }[] }>('MergeClientsResult').implement({
  fields: (t) => ({
    client: t.prismaField({ type: 'Client', resolve: (query, r, _args, ctx) => getClient(ctx.deps, { clientId: r.clientId }, query) }),
    movedConversationIds: t.exposeStringList('movedConversationIds', { description: 'Conversations of the merged client moved to the kept client as they were.' }),
    combinedConversations: t.field({ type: [CombinedConversationsRef], resolve: (r) => r.combined }),
  }),
});

builder.mutationFields((t) => ({
  updateClient: t.prismaField({
    type: 'Client',
    description: "Edits a client's names, phones, emails, type, groups, notes and home location; publishes client.updated (change: profile).",
    args: { input: t.arg({ type: UpdateClientInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: async (query, _root, { input }, ctx) => {
      const client = await updateClient(ctx.deps, {
        businessId: input.businessId,
        clientId: input.clientId,
        ...(input.firstName != null ? { firstName: input.firstName } : {}),
        ...(input.lastName != null ? { lastName: input.lastName } : {}),
        ...(input.phones != null ? { phones: input.phones } : {}),
        ...(input.emails != null ? { emails: input.emails } : {}),
        ...(input.type != null ? { type: input.type } : {}),
        ...(input.groups != null ? { groups: input.groups } : {}),
        ...(input.notes != null ? { notes: input.notes } : {}),
        ...(input.homeLocationId != null ? { homeLocationId: input.homeLocationId } : {}),
      });
      return getClient(ctx.deps, { clientId: client.id }, query);
    },
  }),
  mergeClients: t.field({
    type: MergeClientsResultRef,
    description:
      'Merges client mergeId into keepId: messages, calls, conversations and consent (the stricter wins) move to the kept client; conversations at the same location become one. Publishes client.merged and conversation.updated (change: merge).',
    args: { input: t.arg({ type: MergeClientsInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: async (_root, { input }, ctx) => {
      const r = await mergeClients(ctx.deps, { businessId: input.businessId, keepId: input.keepId, mergeId: input.mergeId });
      return { clientId: r.client.id, movedConversationIds: r.movedConversationIds, combined: r.combined };
    },
  }),
}));

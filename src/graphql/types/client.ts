import { authorizeBusiness } from '../../domain/auth/authorizeBusiness.js';
import { getClient } from '../../domain/clients/getClient.js';
import { countClientList, listClients, type ClientListFilter } from '../../domain/clients/listClients.js';
import { builder } from '../builder.js';

export const ClientRef = builder.prismaNode('Client', {
  id: { field: 'id' },
  authScopes: (client) => ({ business: client.businessId }),
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

import { getBusiness } from '../../domain/businesses/getBusiness.js';
import { builder } from '../builder.js';
import { ownedByBusiness } from '../ownedByBusiness.js';

builder.prismaNode('Business', {
  id: { field: 'id' },
  ...ownedByBusiness((business: { id: string }) => business.id),
  fields: (t) => ({
    businessId: t.exposeString('id', { description: "The business's own id (the id it was onboarded with)." }),
    name: t.exposeString('name'),
    timeZone: t.exposeString('timeZone'),
    settings: t.expose('settings', { type: 'JSON' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    locations: t.relation('locations', { query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] } }),
  }),
});

builder.queryField('business', (t) =>
  t.prismaField({
    type: 'Business',
    args: { id: t.arg.string({ required: true, description: "The business's own id." }) },
    authScopes: (_root, args) => ({ namedBusiness: args.id }),
    resolve: (query, _root, args, ctx) => getBusiness(ctx.deps, args.id, query),
  }),
);

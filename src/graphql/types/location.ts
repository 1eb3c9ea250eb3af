import { listLocations } from '../../domain/locations/listLocations.js';
import { builder } from '../builder.js';

builder.prismaNode('Location', {
  id: { field: 'id' },
  authScopes: (location) => ({ business: location.businessId }),
  fields: (t) => ({
    locationId: t.exposeString('id', { description: "Omega's id of the location." }),
    businessId: t.exposeString('businessId'),
    externalId: t.exposeString('externalId', { nullable: true }),
    name: t.exposeString('name'),
    timeZone: t.exposeString('timeZone', { nullable: true }),
    address: t.exposeString('address', { nullable: true }),
    smsPhoneNumber: t.exposeString('smsPhoneNumber', { nullable: true }),
    messagingServiceSid: t.exposeString('messagingServiceSid', { nullable: true }),
    emailFrom: t.exposeString('emailFrom', { nullable: true }),
    emailFromName: t.exposeString('emailFromName', { nullable: true }),
  }),
});

builder.queryField('locations', (t) =>
  t.prismaField({
    type: ['Location'],
    args: { businessId: t.arg.string({ required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
    resolve: (query, _root, args, ctx) => listLocations(ctx.deps, args.businessId, query),
  }),
);

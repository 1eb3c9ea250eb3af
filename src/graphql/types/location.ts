import { listLocations } from '../../domain/locations/listLocations.js';
import { updateAutoAssignment } from '../../domain/locations/updateAutoAssignment.js';
import { builder } from '../builder.js';
import { ownedByBusiness } from '../ownedByBusiness.js';

builder.prismaNode('Location', {
  id: { field: 'id' },
  ...ownedByBusiness((location: { businessId: string }) => location.businessId),
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
    autoAssign: t.exposeBoolean('autoAssign', {
      description: "New conversations' first inbound message, and inbound messages that reopen unassigned ones, assign them round-robin to the location's online staff under capacity.",
    }),
    autoAssignCapacity: t.exposeInt('autoAssignCapacity', { description: 'Most open conversations a staff member may hold (all locations) and still be auto-assigned one here.' }),
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

const UpdateLocationAutoAssignmentInput = builder.inputType('UpdateLocationAutoAssignmentInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    locationId: t.string({ required: true }),
    autoAssign: t.boolean({ description: 'Turn auto-assignment on or off (left out: unchanged).' }),
    autoAssignCapacity: t.int({ description: '1 to 1000 (left out: unchanged).' }),
  }),
});

builder.mutationField('updateLocationAutoAssignment', (t) =>
  t.prismaField({
    type: 'Location',
    description: "A location's auto-assignment: on or off, and its capacity. Writes a location.updated event.",
    args: { input: t.arg({ type: UpdateLocationAutoAssignmentInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: (query, _root, { input }, ctx) =>
      updateAutoAssignment(
        ctx.deps,
        {
          businessId: input.businessId,
          locationId: input.locationId,
          ...(input.autoAssign != null ? { autoAssign: input.autoAssign } : {}),
          ...(input.autoAssignCapacity != null ? { autoAssignCapacity: input.autoAssignCapacity } : {}),
        },
        query,
      ),
  }),
);

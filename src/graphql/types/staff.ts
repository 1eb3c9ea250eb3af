import { countStaff, listStaff } from '../../domain/staff/listStaff.js';
import { getStaffMember } from '../../domain/staff/getStaffMember.js';
import { authorizeBusiness } from '../../domain/auth/authorizeBusiness.js';
import { setStaffAvailability } from '../../domain/staff/setStaffAvailability.js';
import { builder } from '../builder.js';
import { ownedByBusiness } from '../ownedByBusiness.js';
import { StaffAvailabilityEnum } from './enums.js';

builder.prismaNode('Staff', {
  id: { field: 'id' },
  ...ownedByBusiness((staff: { businessId: string }) => staff.businessId),
  fields: (t) => ({
    staffId: t.exposeString('id', { description: "Omega's id of the staff member." }),
    businessId: t.exposeString('businessId'),
    externalId: t.exposeString('externalId', { nullable: true }),
    firstName: t.exposeString('firstName'),
    lastName: t.exposeString('lastName', { nullable: true }),
    name: t.string({ resolve: (s) => [s.firstName, s.lastName].filter(Boolean).join(' ') }),
    email: t.exposeString('email', { nullable: true }),
    phone: t.exposeString('phone', { nullable: true }),
    role: t.exposeString('role', { nullable: true }),
    active: t.exposeBoolean('active'),
    locationIds: t.exposeStringList('locationIds'),
    availability: t.expose('availability', { type: StaffAvailabilityEnum, description: 'online: auto-assignment may give them conversations; away: it does not.' }),
    availabilityChangedAt: t.expose('availabilityChangedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const StaffFilter = builder.inputType('StaffFilterInput', {
  fields: (t) => ({
    active: t.boolean(),
    locationId: t.string(),
    role: t.string(),
    search: t.string({ description: 'Part of a name or email.' }),
  }),
});

builder.queryFields((t) => ({
  staff: t.prismaConnection(
    {
      type: 'Staff',
      cursor: 'id',
      args: { businessId: t.arg.string({ required: true }), filter: t.arg({ type: StaffFilter }) },
      authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
      resolve: (query, _root, args, ctx) => {
        const { take, skip, cursor, ...select } = query;
        return listStaff(ctx.deps, { businessId: args.businessId, filter: clean(args.filter), page: { take, skip, ...(cursor ? { cursor: cursor as { id: string } } : {}) } }, select);
      },
      totalCount: (_parent, args, ctx) => countStaff(ctx.deps, { businessId: args.businessId as string, filter: clean(args.filter as never) }),
    },
    {},
  ),
  staffMember: t.prismaField({
    type: 'Staff',
    description: 'A staff member by Omega id (or external id, with businessId).',
    args: { id: t.arg.string({ required: true }), businessId: t.arg.string() },
    resolve: async (query, _root, args, ctx) => {
      if (args.businessId) await authorizeBusiness(ctx.deps, ctx.principal, args.businessId);
      return getStaffMember(ctx.deps, { staffId: args.id, ...(args.businessId ? { businessId: args.businessId } : {}) }, query);
    },
  }),
}));

const SetStaffAvailabilityInput = builder.inputType('SetStaffAvailabilityInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    staffId: t.string({ description: 'The staff member; a session leaves it out (it sets its own), an API key names one.' }),
    availability: t.field({ type: StaffAvailabilityEnum, required: true }),
  }),
});

builder.mutationField('setStaffAvailability', (t) =>
  t.prismaField({
    type: 'Staff',
    description: 'online or away: only online staff are auto-assigned conversations (see Location.autoAssign). Writes a staff.updated event when it changes.',
    args: { input: t.arg({ type: SetStaffAvailabilityInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: (query, _root, { input }, ctx) =>
      setStaffAvailability(ctx.deps, { principal: ctx.principal, businessId: input.businessId, staffId: input.staffId ?? null, availability: input.availability }, query),
  }),
);

function clean(filter: { active?: boolean | null; locationId?: string | null; role?: string | null; search?: string | null } | null | undefined) {
  if (!filter) return {};
  return {
    ...(filter.active != null ? { active: filter.active } : {}),
    ...(filter.locationId ? { locationId: filter.locationId } : {}),
    ...(filter.role ? { role: filter.role } : {}),
    ...(filter.search ? { search: filter.search } : {}),
  };
}

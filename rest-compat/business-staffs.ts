import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Deps } from '../src/domain/deps.js';
import { getStaffMember } from '../src/domain/staff/getStaffMember.js';
import { countStaff, listStaff, type StaffListFilter } from '../src/domain/staff/listStaff.js';
import { describe } from './catalog.js';
import { pageSchema, pagingQuery, restList, restPage } from './paging.js';
import { StaffSchema, toStaff } from './representations.js';
import { apiKeySecurity, authErrors, businessIdParams, errorResponse, optional, Uuid } from './schemas.js';

export function businessStaffsRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/business-staffs/:business_id/staffs',
      {
        schema: {
          ...describe('GET', '/business-staffs/:business_id/staffs'),
          security: apiKeySecurity,
          params: businessIdParams,
          querystring: Type.Object({
            ...pagingQuery,
            ...optional({
              active: Type.Boolean(),
              location_id: Uuid(),
              role: Type.String({ maxLength: 100 }),
              search: Type.String({ minLength: 1, maxLength: 200 }),
            }),
          }),
          response: { 200: pageSchema(StaffSchema), 404: errorResponse(), ...authErrors },
        },
      },
      async (req) => {
        const q = req.query;
        const filter: StaffListFilter = {
          ...(q.active !== undefined ? { active: q.active } : {}),
          ...(q.location_id ? { locationId: q.location_id } : {}),
          ...(q.role ? { role: q.role } : {}),
          ...(q.search ? { search: q.search } : {}),
        };
        const paging = restPage(q);
        const [rows, total] = await Promise.all([listStaff(deps, { businessId: req.params.business_id, filter, page: paging.args }), countStaff(deps, { businessId: req.params.business_id, filter })]);
        return restList(rows, paging, total, toStaff);
      },
    );

    app.get(
      '/business-staffs/:business_id/staffs/:staff_id',
      {
        schema: {
          ...describe('GET', '/business-staffs/:business_id/staffs/:staff_id'),
          security: apiKeySecurity,
          description: "staff_id is Omega's id or the business's own external id.",
          params: Type.Object({ ...businessIdParams.properties, staff_id: Type.String({ minLength: 1, maxLength: 200 }) }),
          response: {
            200: Type.Object({ ...StaffSchema.properties, open_conversations: Type.Integer() }),
            404: errorResponse(),
            ...authErrors,
          },
        },
      },
      async (req) => {
        const staff = (await getStaffMember(
          deps,
          { businessId: req.params.business_id, staffId: req.params.staff_id },
          {
            include: { _count: { select: { assignedConversations: { where: { status: { not: 'archived' } } } } } },
          },
        )) as Awaited<ReturnType<typeof getStaffMember>> & { _count: { assignedConversations: number } };
        return { ...toStaff(staff), open_conversations: staff._count.assignedConversations };
      },
    );
  };
}

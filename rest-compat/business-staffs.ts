import type { FastifyPluginAsync } from 'fastify';
import type { Deps } from '../src/domain/deps.js';
import { getStaffMember } from '../src/domain/staff/getStaffMember.js';
import { countStaff, listStaff, type StaffListFilter } from '../src/domain/staff/listStaff.js';
import { describe } from './catalog.js';
import { listSchema, pagingQuery, restList, restPage, type PagingQuery } from './paging.js';
import { staffSchema, toStaff } from './representations.js';
import { apiKeySecurity, authErrors, businessIdParams, errorResponse } from './schemas.js';

export function businessStaffsRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { business_id: string }; Querystring: PagingQuery & { active?: boolean; location_id?: string; role?: string; search?: string } }>(
      '/business-staffs/:business_id/staffs',
      {
        schema: {
          ...describe('GET', '/business-staffs/:business_id/staffs'),
          security: apiKeySecurity,
          params: businessIdParams,
          querystring: {
            type: 'object',
            properties: {
              ...pagingQuery,
              active: { type: 'boolean' },
              location_id: { type: 'string', format: 'uuid' },
              role: { type: 'string', maxLength: 100 },
              search: { type: 'string', minLength: 1, maxLength: 200 },
            },
          },
          response: { 200: listSchema(staffSchema), 404: errorResponse, ...authErrors },
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
        const [rows, total] = await Promise.all([
          listStaff(deps, { businessId: req.params.business_id, filter, page: paging.args }),
          countStaff(deps, { businessId: req.params.business_id, filter }),
        ]);
        return restList(rows, paging, total, toStaff);
      },
    );

    app.get<{ Params: { business_id: string; staff_id: string } }>('/business-staffs/:business_id/staffs/:staff_id', {
      schema: {
        ...describe('GET', '/business-staffs/:business_id/staffs/:staff_id'),
        security: apiKeySecurity,
        description: "staff_id is Omega's id or the business's own external id.",
        params: {
          type: 'object',
          properties: { ...businessIdParams.properties, staff_id: { type: 'string', minLength: 1, maxLength: 200 } },
          required: ['business_id', 'staff_id'],
        },
        response: {
          200: { ...staffSchema, properties: { ...staffSchema.properties, open_conversations: { type: 'integer' } }, required: [...staffSchema.required, 'open_conversations'] },
          404: errorResponse,
          ...authErrors,
        },
      },
    }, async (req) => {
      const staff = (await getStaffMember(deps, { businessId: req.params.business_id, staffId: req.params.staff_id }, {
        include: { _count: { select: { assignedConversations: { where: { status: { not: 'archived' } } } } } },
      })) as Awaited<ReturnType<typeof getStaffMember>> & { _count: { assignedConversations: number } };
      return { ...toStaff(staff), open_conversations: staff._count.assignedConversations };
    });
  };
}

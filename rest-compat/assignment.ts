// Auto-assignment over REST: a location's setting and a staff member's availability (the same domain
// functions as GraphQL's updateLocationAutoAssignment and setStaffAvailability).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Deps } from '../src/domain/deps.js';
import { AUTO_ASSIGN_CAPACITY, updateAutoAssignment } from '../src/domain/locations/updateAutoAssignment.js';
import { setStaffAvailability } from '../src/domain/staff/setStaffAvailability.js';
import { describe } from './catalog.js';
import { LocationSchema, StaffSchema, toLocation, toStaff } from './representations.js';
import { apiKeySecurity, authErrors, businessIdParams, errorResponse, optional, Ref, StringEnum, Uuid } from './schemas.js';

export function assignmentRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.patch(
      '/businesses/:business_id/locations/:location_id',
      {
        schema: {
          ...describe('PATCH', '/businesses/:business_id/locations/:location_id'),
          security: apiKeySecurity,
          description:
            "Auto-assignment of the location: `auto_assign` on or off (off by default), `auto_assign_capacity` (the most open conversations a staff member may hold, at every location, and still be auto-assigned one here). A new conversation's first inbound message, or an inbound message that reopens an unassigned one, assigns it round-robin to the location's active, online staff under capacity; nobody available leaves it unassigned. Fields left out stay as they are. Writes a `location.updated` event.",
          params: Type.Object({ ...businessIdParams.properties, location_id: Uuid() }),
          body: Type.Object(
            optional({
              auto_assign: Type.Boolean(),
              auto_assign_capacity: Type.Integer({ minimum: AUTO_ASSIGN_CAPACITY.min, maximum: AUTO_ASSIGN_CAPACITY.max }),
            }),
            { additionalProperties: false },
          ),
          response: { 200: Ref(LocationSchema), 404: errorResponse('Unknown business or location'), ...authErrors },
        },
      },
      async (req) => {
        const b = req.body ?? {};
        const location = await updateAutoAssignment(deps, {
          businessId: req.params.business_id,
          locationId: req.params.location_id,
          ...(b.auto_assign != null ? { autoAssign: b.auto_assign } : {}),
          ...(b.auto_assign_capacity != null ? { autoAssignCapacity: b.auto_assign_capacity } : {}),
        });
        return toLocation(location);
      },
    );

    app.post(
      '/business-staffs/:business_id/staffs/:staff_id/availability',
      {
        schema: {
          ...describe('POST', '/business-staffs/:business_id/staffs/:staff_id/availability'),
          security: apiKeySecurity,
          description:
            "`online` or `away`: only online staff are auto-assigned conversations. A session may set only its own staff member's (403 `STAFF_FORBIDDEN` for another). Writes a `staff.updated` event when it changes.",
          params: Type.Object({ ...businessIdParams.properties, staff_id: Uuid() }),
          body: Type.Object({ availability: StringEnum(['online', 'away']) }, { additionalProperties: false }),
          response: { 200: Ref(StaffSchema), 404: errorResponse('Unknown business or staff member'), ...authErrors },
        },
      },
      async (req) => toStaff(await setStaffAvailability(deps, { principal: req.principal, businessId: req.params.business_id, staffId: req.params.staff_id, availability: req.body.availability })),
    );
  };
}

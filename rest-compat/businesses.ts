import type { FastifyPluginAsync } from 'fastify';
import type { Location } from '../src/generated/prisma/client.js';
import { listLocations } from '../src/domain/locations/listLocations.js';
import type { Deps } from '../src/domain/deps.js';
import { describe } from './catalog.js';
import { apiKeySecurity, authErrors, businessIdParams, errorResponse, isoDateTime, nullable } from './schemas.js';

const location = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    business_id: { type: 'string' },
    external_id: nullable({ type: 'string' }),
    name: { type: 'string' },
    time_zone: nullable({ type: 'string' }),
    address: nullable({ type: 'string' }),
    sms_phone_number: nullable({ type: 'string' }),
    messaging_service_sid: nullable({ type: 'string' }),
    email_from: nullable({ type: 'string' }),
    email_from_name: nullable({ type: 'string' }),
    created_at: isoDateTime,
  },
  required: ['id', 'business_id', 'name', 'created_at'],
} as const;

const toLocation = (l: Location) => ({
  id: l.id,
  business_id: l.businessId,
  external_id: l.externalId,
  name: l.name,
  time_zone: l.timeZone,
  address: l.address,
  sms_phone_number: l.smsPhoneNumber,
  messaging_service_sid: l.messagingServiceSid,
  email_from: l.emailFrom,
  email_from_name: l.emailFromName,
  created_at: l.createdAt.toISOString(),
});

export function businessesRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { business_id: string } }>('/businesses/:business_id/locations', {
      schema: {
        ...describe('GET', '/businesses/:business_id/locations'),
        security: apiKeySecurity,
        params: businessIdParams,
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: location }, total: { type: 'integer' } }, required: ['items', 'total'] },
          404: { ...errorResponse, description: 'Unknown business' },
          ...authErrors,
        },
      },
    }, async (req) => {
      const locations = await listLocations(deps, req.params.business_id);
      return { items: locations.map(toLocation), total: locations.length };
    });
  };
}

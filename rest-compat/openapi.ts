// What every REST route may answer besides its own responses, added to /openapi.json once instead
// of route by route: 415 for a body that is not the route's content type, and 404
// BUSINESS_NOT_FOUND where a path names a business (a service key naming one that does not exist).
import type { FastifySchema, RouteOptions } from 'fastify';
import { errorResponse } from './schemas.js';

type Responses = Record<string, { description?: string; $ref?: string }>;

export function documentSharedErrors({ schema, url, route }: { schema: FastifySchema; url: string; route: RouteOptions }): { schema: FastifySchema; url: string } {
  if (!schema || (schema as { hide?: boolean }).hide) return { schema, url };
  const responses: Responses = { ...((schema.response as Responses | undefined) ?? {}) };
  const consumes = (schema as { consumes?: string[] }).consumes ?? ['application/json'];
  if (schema.body) responses['415'] = errorResponse(`UNSUPPORTED_MEDIA_TYPE: the body is not ${consumes.join(' or ')}`) as Responses[string];
  if (url.includes(':business_id') && route.config?.auth === undefined) {
    const own = responses['404'];
    const note = 'BUSINESS_NOT_FOUND: a service key named a business that does not exist';
    responses['404'] = own ? { ...own, description: `${own.description ?? 'Not found'}; or ${note}` } : (errorResponse(note) as Responses[string]);
  }
  return { schema: { ...schema, response: responses }, url };
}

// What a request no route answers gets: 405 with `Allow` when the path exists for other methods
// (GET /sms/send), else 404; both in the REST error shape.
//
// Fastify's router answers 404 for both, so the routes are mirrored into a find-my-way router
// (the router Fastify itself uses, with the same matching) that only answers which methods a path has.
import type { FastifyInstance } from 'fastify';
import Router, { type HTTPMethod } from 'find-my-way';
import { clip } from './clip.js';

const METHODS: HTTPMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export function registerRouteNotFound(app: FastifyInstance): void {
  const paths = Router({ maxParamLength: 512 });
  const noop = () => undefined;
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (METHODS.includes(method as HTTPMethod) && !paths.hasRoute(method as HTTPMethod, route.url)) paths.on(method as HTTPMethod, route.url, noop);
    }
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    const shown = clip(path);
    const allowed = METHODS.filter((m) => m !== 'OPTIONS' && paths.find(m, path) !== null);
    if (allowed.length > 0) {
      return reply
        .status(405)
        .header('allow', allowed.join(', '))
        .send({ detail: `${req.method} is not allowed on ${shown}; use ${allowed.join(' or ')}.`, code: 'METHOD_NOT_ALLOWED' });
    }
    return reply.status(404).send({ detail: `No route ${req.method} ${shown}`, code: 'NOT_FOUND' });
  });
}

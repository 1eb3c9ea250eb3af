// buildApp(deps): the whole HTTP surface as one Fastify instance, without listening (tests use
// inject, or listen on port 0). GraphQL (yoga) at /graphql, graphql-ws on the same port and path,
// the REST compatibility layer, and the OpenAPI document with its browsable page.
import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { createYoga } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { errorHandler } from '../rest-compat/errors.js';
import { restCompat } from '../rest-compat/index.js';
import type { Config } from './config.js';
import type { Principal } from './domain/auth/principal.js';
import type { Deps } from './domain/deps.js';
import { maskError } from './graphql/errors.js';
import { schema } from './graphql/schema.js';
import type { GraphQLContext } from './graphql/context.js';
import { resolvePrincipal } from './http/principal.js';
import { closeOnRevocation } from './http/closeOnRevocation.js';
import { registerRateLimit } from './http/rateLimitHook.js';
import { consumeRateLimit } from './domain/auth/consumeRateLimit.js';
import { credentialId } from './domain/auth/principal.js';
import { RateLimitedError } from './domain/errors.js';
import { useOperationLimits, type OperationLimits } from './graphql/useOperationLimits.js';
import { GraphQLError } from 'graphql';
import { isConnectionError } from './db/isConnectionError.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received, for webhook signature checks. */
    rawBody?: string;
  }
}

export interface AppOptions {
  logLevel: Config['logLevel'];
  publicBaseUrl: string;
  /** Requests per minute per API key or session (per IP without credentials); 0 turns it off. Default 600. */
  rateLimitPerMinute?: number;
  /** GraphQL depth and cost limits. Default 10 and 5000. */
  graphqlMaxDepth?: number;
  graphqlMaxCost?: number;
}

const GRAPHQL_PATH = '/graphql';

export async function buildApp(deps: Deps, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: options.logLevel },
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: 5 * 1024 * 1024,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    forceCloseConnections: true,
    // business ids are up to 128 characters; longer path segments get a 422, not a 414.
    routerOptions: { maxParamLength: 512 },
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  // JSON and form bodies are read as text first so webhook routes can verify signatures over the
  // exact bytes; form bodies (Twilio) become a plain object of their fields.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    req.rawBody = text;
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      const error = err as Error & { statusCode?: number; code?: string };
      error.statusCode = 400;
      error.code = 'FST_ERR_CTP_INVALID_JSON_BODY';
      done(error, undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (req, body, done) => {
    req.rawBody = body as string;
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ detail: `No route ${req.method} ${req.url.split('?')[0]}`, code: 'NOT_FOUND' });
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Omega REST compatibility API',
        version: '1',
        description: 'REST routes of the original Omega service. The full API is GraphQL at /graphql.',
      },
      servers: [{ url: options.publicBaseUrl }],
      components: {
        securitySchemes: {
          ApiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-KEY' },
          ApiKeyCookie: { type: 'apiKey', in: 'cookie', name: 'omega_api_key' },
          BearerToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A session token from POST /auth/token' },
          SessionCookie: { type: 'apiKey', in: 'cookie', name: 'omega_session' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const rateLimitPerMinute = options.rateLimitPerMinute ?? 600;
  registerRateLimit(app, deps, rateLimitPerMinute);
  await app.register(restCompat(deps));
  registerGraphQL(app, deps, {
    rateLimitPerMinute,
    limits: { maxDepth: options.graphqlMaxDepth ?? 10, maxCost: options.graphqlMaxCost ?? 5000 },
  });
  return app;
}

function registerGraphQL(app: FastifyInstance, deps: Deps, options: { rateLimitPerMinute: number; limits: OperationLimits }): void {
  const yoga = createYoga<{ req: FastifyRequest }, GraphQLContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    graphiql: { subscriptionsProtocol: 'WS', title: 'Omega GraphQL' },
    maskedErrors: { maskError },
    plugins: [useOperationLimits(options.limits)],
    logging: {
      debug: (...args: unknown[]) => app.log.debug(args.map(String).join(' ')),
      info: (...args: unknown[]) => app.log.info(args.map(String).join(' ')),
      warn: (...args: unknown[]) => app.log.warn(args.map(String).join(' ')),
      error: (...args: unknown[]) => app.log.error(args.map(String).join(' ')),
    },
    context: async ({ req }) => ({ deps, principal: await resolvePrincipal(deps, req.headers) }),
  });

  app.route({
    url: GRAPHQL_PATH,
    method: ['GET', 'POST', 'OPTIONS'],
    schema: { hide: true },
    handler: async (req, reply) => {
      const response = await yoga.handleNodeRequestAndResponse(req, reply, { req });
      response.headers.forEach((value, key) => reply.header(key, value));
      reply.status(response.status);
      reply.send(response.body);
      return reply;
    },
  });

  // graphql-ws on the same port: the upgrade request carries the credentials (header or cookie;
  // browsers may put X-API-KEY in connectionParams instead). Refused connections close with 4403.
  const wss = new WebSocketServer({ noServer: true });
  app.server.on('upgrade', (request, socket, head) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== GRAPHQL_PATH) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  const wsServer = useServer<Record<string, unknown>, { principal: Principal }>(
    {
      onConnect: async (ctx) => {
        const principal = await resolvePrincipal(deps, ctx.extra.request.headers, ctx.connectionParams);
        if (!principal) return false;
        ctx.extra.principal = principal;
        // A revoked or expired credential closes the socket (4401), whichever process revokes it.
        closeOnRevocation(deps, ctx.extra.socket, principal);
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        // Each subscribe message counts against the key's rate limit; the check runs while the
        // operation is parsed and validated, so it does not delay the subscription's start.
        const principal = ctx.extra.principal;
        const refusal =
          options.rateLimitPerMinute > 0 && principal
            ? consumeRateLimit(deps, { key: credentialId(principal), limit: options.rateLimitPerMinute }).then(
                () => null,
                (err: unknown) => {
                  if (err instanceof RateLimitedError) {
                    return [new GraphQLError(err.message, { extensions: { code: err.code, retryAfterSeconds: err.retryAfterSeconds } })];
                  }
                  if (isConnectionError(err)) return null; // database unreachable: fail open, as over HTTP
                  throw err;
                },
              )
            : Promise.resolve(null);
        refusal.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled
        const { schema: s, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
        });
        const args = {
          schema: s,
          operationName: payload.operationName,
          document: parse(payload.query),
          variableValues: payload.variables,
          contextValue: { ...(await contextFactory()), deps, principal: ctx.extra.principal ?? null },
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        const refused = await refusal;
        if (refused) return refused;
        if (errors.length) return errors;
        return args;
      },
      execute: (args) => (args.rootValue as { execute: typeof import('graphql').execute }).execute(args),
      subscribe: (args) => (args.rootValue as { subscribe: typeof import('graphql').subscribe }).subscribe(args),
    },
    wss,
  );
  app.addHook('onClose', async () => {
    await wsServer.dispose();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });
}

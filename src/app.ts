// buildApp(deps): the whole HTTP surface as one Fastify instance, without listening (tests use
// inject, or listen on port 0). GraphQL (yoga) at /graphql, graphql-ws on the same port and path,
// the REST compatibility layer, and the OpenAPI document with its browsable page.
import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { errorHandler } from '../rest-compat/errors.js';
import { documentSharedErrors } from '../rest-compat/openapi.js';
import { restCompat } from '../rest-compat/index.js';
import type { Config } from './config.js';
import type { Deps } from './domain/deps.js';
import { GRAPHQL_PATH, mountGraphQL } from './graphql/mountGraphQL.js';
import { registerJsonBodies } from './http/bodyParsers.js';
import { buildValidators } from './http/buildValidators.js';
import { registerCors } from './http/cors.js';
import { registerCookieCsrfGuard } from './http/csrf.js';
import { createOriginPolicy } from './http/originPolicy.js';
import { registerAuthentication } from './http/principal.js';
import { registerRateLimit } from './http/rateLimitHook.js';
import { registerHttpMetrics, registerMetricsRoute } from './http/metricsRoute.js';
import { registerReadinessRoute } from './http/readinessRoute.js';
import { loggerOptions } from './observability/logRedaction.js';
import { frameworkErrors } from './http/frameworkErrors.js';
import { registerRouteNotFound } from './http/routeNotFound.js';
import { contentSecurityPolicy, createSecurityHeaders, DOCS_CSP_DIRECTIVES, registerSecurityHeaders } from './http/securityHeaders.js';
import { registerGraphiQL, type GraphiQLPageOptions } from './graphql/graphiql.js';
import { DEFAULT_WEB_APP_DIR, registerWebApp } from './http/webApp.js';

export interface AppOptions {
  logLevel: Config['logLevel'];
  /** A pino logger to write to instead of a new one at logLevel (tests read what is logged). */
  logger?: FastifyBaseLogger;
  publicBaseUrl: string;
  /** Requests per minute per API key or session (per IP without credentials); 0 turns it off. Default 600. */
  rateLimitPerMinute?: number;
  /** GraphQL limits. Defaults: depth 10, cost 5000, aliases 15, tokens 2000, directives 50. */
  graphqlMaxDepth?: number;
  graphqlMaxCost?: number;
  graphqlMaxAliases?: number;
  graphqlMaxTokens?: number;
  graphqlMaxDirectives?: number;
  /** Browser origins allowed cross-origin with credentials (OMEGA_CORS_ORIGINS). Default: none. */
  corsOrigins?: string[];
  /** Proxies whose X-Forwarded-* headers are believed (OMEGA_TRUST_PROXY). Default: none. */
  trustProxy?: false | number | string[];
  /**
   * The embedded demo's GraphiQL tabs and key (src/main.ts, demoGraphiQL), shown only to requests
   * from this machine to a loopback name; nothing else prefills a key.
   */
  graphiqlDemo?: Omit<GraphiQLPageOptions, 'title'>;
  /**
   * The embedded demo's one-click sign-in as its staff (src/main.ts: the same rule as graphiqlDemo),
   * offered only to requests from this machine to a loopback name (rest-compat/sign-in.ts).
   */
  demoSignIn?: boolean;
  /** The built inbox web app (index.html, assets/app/), served at /inbox. Default: web/dist. */
  webAppDir?: string;
  /** OMEGA_METRICS_TOKEN: GET /metrics on this port, for `Authorization: Bearer <token>` only. Unset: no /metrics here (404). */
  metricsToken?: string | undefined;
}

/** How long a stop lets connections with a response still streaming stay open (src/main.ts forces an exit at 15 s). */
const STOP_CUTOFF_MS = 10_000;

/** Largest request body (and graphql-ws message). */
const BODY_LIMIT_BYTES = 5 * 1024 * 1024;

function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

export async function buildApp(deps: Deps, options: AppOptions): Promise<FastifyInstance> {
  const securityHeaders = createSecurityHeaders({ publicBaseUrl: options.publicBaseUrl });
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: loggerOptions(options.logLevel) }),
    // A number of hops as proxy-addr counts them (Fastify's types take no number).
    trustProxy: typeof options.trustProxy === 'number' ? trustHops(options.trustProxy) : (options.trustProxy ?? false),
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: BODY_LIMIT_BYTES,
    // Bodies are validated strictly (no coercion; a null in an optional field means "not given"),
    // query strings and path parameters with coercion: src/http/buildValidators.ts.
    schemaController: { compilersFactory: { buildValidator: buildValidators } },
    ajv: { customOptions: { allErrors: true, removeAdditional: false } },
    // A stopping gateway (app.close(), src/main.ts) stops accepting connections and closes idle
    // kept-alive ones, but lets requests in flight finish; and a request that reaches a route while it
    // stops is still answered, not refused with Fastify's 503 (a proxy in front sent it before it
    // saw the listener gone, and would pass the 503 on).
    forceCloseConnections: 'idle',
    return503OnClosing: false,
    // business ids are up to 128 characters; longer path segments get a 422, not a 414 (up to 512).
    routerOptions: { maxParamLength: 512 },
    frameworkErrors: (error, req, reply) => {
      securityHeaders(req.raw, reply.raw);
      frameworkErrors(error, req, reply);
    },
  });
  // Stopping: a response on a kept-alive connection closes it (Node closes idle connections only
  // once, when the stop begins: one answered later would stay open, and the stop with it, until its
  // keep-alive timeout). Whatever is still open after STOP_CUTOFF_MS (an SSE subscription streams
  // until its client leaves) is cut, so the stop ends within the process's 15 s.
  let stopping = false;
  app.addHook('preClose', async () => {
    stopping = true;
    setTimeout(() => app.server.closeAllConnections(), STOP_CUTOFF_MS).unref();
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
    if (stopping) reply.header('connection', 'close');
  });
  registerSecurityHeaders(app, securityHeaders);
  registerHttpMetrics(app, deps.metrics);
  registerJsonBodies(app);
  app.setErrorHandler(errorHandler);
  registerRouteNotFound(app);

  // Before anything that authenticates or counts: preflights are answered here, and cookies of
  // another site's page are refused.
  const origins = createOriginPolicy({ corsOrigins: options.corsOrigins ?? [], publicBaseUrl: options.publicBaseUrl });
  registerCors(app, origins);
  registerCookieCsrfGuard(app, origins);

  // PUBLIC_BASE_URL's path ('' at the root): where a proxy mounts Omega, as pages must name it.
  const basePath = new URL(options.publicBaseUrl).pathname.replace(/\/+$/, '');
  await app.register(swagger, {
    transform: documentSharedErrors,
    // The REST layer's shared schemas (rest-compat/components.ts) keep their $id as their name.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
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
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // No call to swagger.io's online validator: the page works offline and tells no one about it.
    uiConfig: { validatorUrl: null },
    staticCSP: contentSecurityPolicy(DOCS_CSP_DIRECTIVES),
    // "Try it out" calls the origin that served the page (its CSP allows no other), at
    // PUBLIC_BASE_URL's path; /openapi.json keeps the whole public URL for clients and code generators.
    transformSpecification: (spec) => ({ ...spec, servers: [{ url: basePath || '/' }] }),
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // Before the rate limiter: its files are public, immutable and fetched by every page load.
  const graphiql = await registerGraphiQL(app, { title: 'Omega GraphQL', endpoint: GRAPHQL_PATH, basePath, ...(options.graphiqlDemo ? { demo: options.graphiqlDemo } : {}) });
  // The same for the inbox web app's page and files.
  await registerWebApp(app, { dir: options.webAppDir ?? DEFAULT_WEB_APP_DIR, basePath });

  // Probes and scrapers: before the rate limiter, which they must never meet.
  registerReadinessRoute(app, deps.readiness);
  registerMetricsRoute(app, deps.metrics, options.metricsToken);

  const rateLimitPerMinute = options.rateLimitPerMinute ?? 600;
  // Each request's credentials are checked once, by whichever of these asks first.
  registerAuthentication(app);
  registerRateLimit(app, deps, rateLimitPerMinute);
  await app.register(restCompat(deps, { demoSignIn: options.demoSignIn ?? false }));
  await mountGraphQL(app, deps, {
    rateLimitPerMinute,
    maxMessageBytes: BODY_LIMIT_BYTES,
    origins,
    graphiql,
    limits: {
      maxDepth: options.graphqlMaxDepth ?? 10,
      maxCost: options.graphqlMaxCost ?? 5000,
      maxAliases: options.graphqlMaxAliases ?? 15,
      maxTokens: options.graphqlMaxTokens ?? 2000,
      maxDirectives: options.graphqlMaxDirectives ?? 50,
    },
  });
  return app;
}

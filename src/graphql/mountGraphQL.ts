// GraphQL at /graphql: graphql-yoga as one Fastify route (its own scope, whose errors answer in
// GraphQL's shape), and graphql-ws on the same port and path.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createYoga, type Plugin } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { isConnectionError } from '../db/isConnectionError.js';
import { consumeRateLimit } from '../domain/auth/consumeRateLimit.js';
import { credentialId, unauthenticated, type Principal } from '../domain/auth/principal.js';
import type { Deps } from '../domain/deps.js';
import { DomainError, ForbiddenError, RateLimitedError } from '../domain/errors.js';
import { BodyRejection } from '../http/bodyParsers.js';
import { clip } from '../http/clip.js';
import { closeOnRevocation } from '../http/closeOnRevocation.js';
import { HTTP_STATUS } from '../http/httpStatus.js';
import { describeRequestError } from '../http/requestErrors.js';
import { appendVary } from '../http/vary.js';
import type { OriginPolicy } from '../http/originPolicy.js';
import { connectionPrincipal, readCredential, requestPrincipal } from '../http/principal.js';
import type { GraphQLContext } from './context.js';
import type { GraphiQL } from './graphiql.js';
import { classifyError, maskError } from './errors.js';
import { schema } from './schema.js';
import { useOperationLimits, type OperationLimits } from './useOperationLimits.js';
import { useOperationMetrics } from '../observability/useOperationMetrics.js';
import { useOperationTracing } from '../observability/useOperationTracing.js';
import { refuseVariables, useStorableStrings } from './useStorableStrings.js';

export const GRAPHQL_PATH = '/graphql';

/**
 * Headers that prove a request was preflighted (or sent by a non-browser client): yoga's CSRF
 * prevention refuses GET and form-like requests that carry none of them.
 */
export const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'graphql-require-preflight', 'apollo-require-preflight', 'x-api-key', 'authorization'];

/** yoga's CSRF prevention, refusing with a domain error that says which headers would do. */
function useCsrfHeaders(): Plugin {
  const csrf = useCSRFPrevention({ requestHeaders: CSRF_HEADERS });
  return {
    async onRequestParse(payload) {
      try {
        await csrf.onRequestParse?.(payload);
      } catch (err) {
        throw new ForbiddenError(
          'CSRF_HEADER_REQUIRED',
          `A GET or a form-like GraphQL request must carry one of the headers ${CSRF_HEADERS.join(', ')} (browsers send those only after a CORS preflight), or be a POST with Content-Type: application/json.`,
          { cause: err },
        );
      }
    },
  };
}

export interface GraphQLOptions {
  rateLimitPerMinute: number;
  /** Largest graphql-ws message, as the HTTP body limit. */
  maxMessageBytes: number;
  limits: OperationLimits;
  origins: OriginPolicy;
  /** The page a browser's GET of /graphql gets (registerGraphiQL). */
  graphiql: GraphiQL;
}

/** What yoga renders GraphiQL for: a browser's page load (GET asking for HTML). */
function wantsPage(req: FastifyRequest): boolean {
  return req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
}

export async function mountGraphQL(app: FastifyInstance, deps: Deps, options: GraphQLOptions): Promise<void> {
  const yoga = createYoga<{ req: FastifyRequest }, GraphQLContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    // GraphiQL is served by Omega from local files (graphiql.ts), never by yoga's CDN-backed page.
    graphiql: false,
    // CORS is Omega's own allow-list (src/http/cors.ts), for every route alike.
    cors: false,
    maskedErrors: { maskError },
    plugins: [useOperationLimits(options.limits), useStorableStrings(), useCsrfHeaders(), useOperationMetrics(deps.metrics), ...(deps.tracer ? [useOperationTracing(deps.tracer)] : [])],
    logging: {
      // The first argument is yoga's message; anything after it is kept as fields, not flattened.
      debug: (...args: unknown[]) => app.log.debug(args.length > 1 ? { details: args.slice(1) } : {}, String(args[0])),
      info: (...args: unknown[]) => app.log.info(args.length > 1 ? { details: args.slice(1) } : {}, String(args[0])),
      warn: (...args: unknown[]) => app.log.warn(args.length > 1 ? { details: args.slice(1) } : {}, String(args[0])),
      // yoga logs here every error it had to turn into a GraphQL error: a client's mistake is
      // news for debugging, an outage a warning, only an unexpected error an error.
      error: (...args: unknown[]) => {
        const err = args[0];
        const origin = classifyError(err);
        const level = origin === 'client' ? 'debug' : origin === 'unavailable' ? 'warn' : 'error';
        app.log[level]({ err }, origin === 'client' ? 'GraphQL request refused' : 'GraphQL error');
      },
    },
    context: async ({ req }) => {
      const principal = await requestPrincipal(deps, req);
      // Credentials that were sent but are wrong, expired or revoked fail the whole request (401);
      // without credentials, public fields (health) still answer.
      if (!principal && readCredential(req.headers)) throw unauthenticated();
      return { deps, principal };
    },
  });

  await app.register(async (scope) => {
    scope.setErrorHandler(graphqlErrorHandler);
    scope.route({
      url: GRAPHQL_PATH,
      method: ['GET', 'POST', 'OPTIONS'],
      schema: { hide: true },
      handler: async (req, reply) => {
        if (wantsPage(req)) return options.graphiql.sendPage(req, reply);
        const response = await yoga.handleNodeRequestAndResponse(req, reply, { req });
        response.headers.forEach((value, key) => {
          reply.header(key, value);
        });
        // The same URL answers a page or data by Accept (GET).
        if (req.method === 'GET') appendVary(reply, 'Accept');
        reply.status(response.status);
        // A single result (JSON) goes out as one buffer with its length; only event streams and
        // incremental delivery stay streams. Piping a JSON body as a stream costs a chunked response
        // and several socket writes per request.
        const type = response.headers.get('content-type') ?? '';
        if (type.startsWith('text/event-stream') || type.startsWith('multipart/')) reply.send(response.body);
        else reply.send(Buffer.from(await response.arrayBuffer()));
        return reply;
      },
    });
  });

  // graphql-ws on the same port: the upgrade request carries the credentials (header or cookie;
  // browsers may put X-API-KEY in connectionParams instead). A page of an origin that may not use
  // credentials is refused before the upgrade (403); refused credentials close with 4403.
  // A graphql-ws message is bounded like an HTTP body (ws's own default is 100 MiB).
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
  // Set when the gateway stops: a socket opened after its subscriptions were closed would keep
  // app.close() waiting (the listener closes only after them), so a new upgrade is refused (503).
  let closing = false;
  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== GRAPHQL_PATH) {
      socket.destroy();
      return;
    }
    if (closing) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const foreign = options.origins.foreignOrigin(request.headers, (request.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http');
    if (foreign !== null) {
      const body = JSON.stringify({ detail: `WebSocket connections from ${clip(foreign)} are not allowed; add the origin to OMEGA_CORS_ORIGINS.`, code: 'CORS_ORIGIN_FORBIDDEN' });
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  const wsServer = useServer<Record<string, unknown>, { principal: Principal }>(
    {
      onConnect: async (ctx) => {
        const principal = await connectionPrincipal(deps, ctx.extra.request.headers, ctx.connectionParams);
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
                    deps.metrics.rateLimitRefusals.inc({ kind: 'subscription' });
                    return [new GraphQLError(err.message, { extensions: { code: err.code, retryAfterSeconds: err.retryAfterSeconds } })];
                  }
                  if (isConnectionError(err)) return null; // database unreachable: fail open, as over HTTP
                  throw err;
                },
              )
            : Promise.resolve(null);
        refusal.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled
        // envelop types getEnveloped's schema, parse and validate as `any` (to fit any graphql version).
        /* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return */
        const {
          schema: s,
          execute,
          subscribe,
          parse,
          validate,
        } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
        });
        let document;
        try {
          document = parse(payload.query);
        } catch (err) {
          await refusal;
          return [maskError(err, 'Unexpected error.') as GraphQLError];
        }
        const args = {
          schema: s,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          // The connection's principal (onConnect: connectionParams first, then the upgrade's
          // headers), not yoga's context factory, which reads the headers alone: a stale cookie
          // beside a valid key in connectionParams would fail every operation.
          contextValue: { req: ctx.extra.request, deps, principal: ctx.extra.principal ?? null },
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        const refused = await refusal;
        if (refused) return refused;
        if (errors.length) return errors;
        /* eslint-enable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return */
        const badVariables = refuseVariables(payload.variables);
        if (badVariables) return [badVariables];
        return args;
      },
      execute: (args) => (args.rootValue as { execute: typeof import('graphql').execute }).execute(args),
      subscribe: (args) => (args.rootValue as { subscribe: typeof import('graphql').subscribe }).subscribe(args),
    },
    wss,
  );
  // A stopping gateway closes its subscriptions first, with a code clients reconnect on.
  app.addHook('preClose', async () => {
    closing = true;
    await closeSubscriptions(wss);
  });
  app.addHook('onClose', async () => {
    await wsServer.dispose();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });
}

/** WebSocket close code 1012 "Service Restart": graphql-ws clients (and the inbox app) reconnect and resume from their cursor. */
export const SERVICE_RESTART_CLOSE_CODE = 1012;

/**
 * Closes every graphql-ws socket with 1012 "Service Restart" (while the gateway stops: app.close()
 * runs it as a preClose hook, before the listener closes), and waits until each has closed or been
 * cut off (a peer that does not answer the close frame within `timeoutMs` is terminated).
 */
export async function closeSubscriptions(wss: WebSocketServer, timeoutMs = 2_000): Promise<void> {
  await Promise.all(
    [...wss.clients].map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === socket.CLOSED) return resolve();
          const timer = setTimeout(() => socket.terminate(), timeoutMs);
          socket.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          socket.close(SERVICE_RESTART_CLOSE_CODE, 'Service Restart');
        }),
    ),
  );
}

/**
 * Errors raised before yoga sees the request (body parsing, content type, CSRF, rate limit), in
 * GraphQL over HTTP's shape: malformed JSON is 400, as the spec wants; the rest keep their status.
 */
function graphqlErrorHandler(error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const send = (status: number, message: string, extensions: Record<string, unknown>) =>
    reply
      .status(status)
      .type('application/json; charset=utf-8')
      .send({ errors: [{ message, extensions }] });
  if (error instanceof BodyRejection) return send(400, error.message, { code: error.reason === 'string_unicode' ? 'BAD_USER_INPUT' : 'BAD_REQUEST' });
  if (error instanceof DomainError) {
    if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
    return send(HTTP_STATUS[error.kind], error.message, { code: error.code, kind: error.kind });
  }
  if (isConnectionError(error)) {
    req.log.warn({ err: error }, 'database unreachable');
    return send(503, 'The database is unreachable; try again shortly.', { code: 'DATABASE_UNAVAILABLE' });
  }
  const refused = describeRequestError(error, req);
  if (refused) return send(refused.status, refused.detail, { code: refused.code });
  req.log.error({ err: error }, 'unhandled error');
  return send(500, 'Unexpected error.', { code: 'INTERNAL_SERVER_ERROR' });
}

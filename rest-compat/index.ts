// Registers the REST compatibility routes and their one authentication rule.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authorizeBusiness } from '../src/domain/auth/authorizeBusiness.js';
import { assertBusinessAccess, requirePrincipal, type Principal } from '../src/domain/auth/principal.js';
import type { Deps } from '../src/domain/deps.js';
import { requestPrincipal } from '../src/http/principal.js';
import { businessClientsRoutes } from './business-clients.js';
import { businessStaffsRoutes } from './business-staffs.js';
import { businessesRoutes } from './businesses.js';
import { messagesRoutes } from './messages.js';
import { healthRoutes } from './health.js';
import { businessRoutes } from './business.js';
import { authenticationRoutes } from './authentication.js';
import { sessionRoutes } from './session.js';
import { signInRoutes, type SignInRouteOptions } from './sign-in.js';
import { emailRoutes } from './email.js';
import { messagesSendingRoutes } from './messages-sending.js';
import { smsRoutes } from './sms.js';
import { twilioRoutes } from './twilio.js';
import { voiceCallsRoutes } from './voice-calls.js';
import { emailWebhooksRoutes } from './email-webhooks.js';
import { webhooksRoutes } from './webhooks.js';
import { labelsRoutes } from './labels.js';
import { sendersRoutes } from './senders.js';
import { reportsRoutes } from './reports.js';
import { eventsRoutes } from './events.js';
import { assignmentRoutes } from './assignment.js';
import { webhookDeliveriesRoutes } from './webhook-deliveries.js';
import { savedRepliesRoutes } from './saved-replies.js';
import { campaignsRoutes } from './campaigns.js';
import { addSharedSchemas } from './components.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `none` for public routes; `signature` for provider webhooks (verified in the route). Default: API key. */
    auth?: 'none' | 'signature';
    /** The business_id of this route's body may be one that does not exist yet (onboarding creates it). */
    createsBusiness?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** The REST layer as one encapsulated plugin: its auth hook applies to its routes only. */
export function restCompat(deps: Deps, options: SignInRouteOptions = { demoSignIn: false }) {
  return async (app: FastifyInstance): Promise<void> => {
    app.decorateRequest('principal', null);
    addSharedSchemas(app);
    // Authentication runs before the body is read or validated: without credentials the answer is
    // 401, whatever the body; with another business's credentials it is 403. Once the request is
    // valid, a service key naming a business that does not exist, in the path, the query or the
    // body, gets 404 (authorizeBusiness): on every route alike.
    const businessOf = (req: FastifyRequest) => (req.params as Record<string, string | undefined>)['business_id'];
    const namedBusiness = (req: FastifyRequest): string | undefined => {
      const named = (part: unknown) => (part && typeof part === 'object' ? (part as Record<string, unknown>)['business_id'] : undefined);
      const id = businessOf(req) ?? named(req.query) ?? (req.routeOptions.config.createsBusiness ? undefined : named(req.body));
      return typeof id === 'string' ? id : undefined;
    };
    const keyAuthenticated = (req: FastifyRequest) => {
      const mode = req.routeOptions.config.auth;
      return mode !== 'none' && mode !== 'signature' && Boolean(req.routeOptions.url);
    };
    app.addHook('onRequest', async (req) => {
      if (!keyAuthenticated(req)) return;
      const principal = requirePrincipal(await requestPrincipal(deps, req));
      const businessId = businessOf(req);
      if (businessId !== undefined) assertBusinessAccess(principal, businessId);
      req.principal = principal;
    });
    app.addHook('preHandler', async (req) => {
      const businessId = namedBusiness(req);
      if (keyAuthenticated(req) && businessId !== undefined) await authorizeBusiness(deps, req.principal, businessId);
    });
    await app.register(healthRoutes(deps));
    await app.register(businessesRoutes(deps));
    await app.register(businessClientsRoutes(deps));
    await app.register(businessStaffsRoutes(deps));
    await app.register(messagesRoutes(deps));
    await app.register(businessRoutes(deps));
    await app.register(authenticationRoutes(deps));
    await app.register(sessionRoutes(deps));
    await app.register(signInRoutes(deps, options));
    await app.register(smsRoutes(deps));
    await app.register(emailRoutes(deps));
    await app.register(messagesSendingRoutes(deps));
    await app.register(twilioRoutes(deps));
    await app.register(voiceCallsRoutes(deps));
    await app.register(emailWebhooksRoutes(deps));
    await app.register(webhooksRoutes(deps));
    await app.register(labelsRoutes(deps));
    await app.register(eventsRoutes(deps));
    await app.register(webhookDeliveriesRoutes(deps));
    await app.register(assignmentRoutes(deps));
    await app.register(savedRepliesRoutes(deps));
    await app.register(campaignsRoutes(deps));
    await app.register(reportsRoutes(deps));
    await app.register(sendersRoutes(deps));
  };
}

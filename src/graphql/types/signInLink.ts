import { createSignInLink, type SignInLink as SignInLinkShape } from '../../domain/auth/createSignInLink.js';
import { builder } from '../builder.js';

const SignInLink = builder.objectRef<SignInLinkShape>('SignInLink').implement({
  description: "A single-use link that signs a browser in as a staff member (the web app's sign-in page, the token in its #fragment). Shown once.",
  fields: (t) => ({
    url: t.exposeString('url'),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    staffId: t.exposeString('staffId'),
    businessId: t.exposeString('businessId'),
  }),
});

const CreateSignInLinkInput = builder.inputType('CreateSignInLinkInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    staffId: t.string({ required: true, description: "Omega's id of the staff member." }),
    ttlSeconds: t.int({ description: 'Validity in seconds, at most OMEGA_SIGN_IN_LINK_TTL_SECONDS (the default, 900).' }),
  }),
});

builder.mutationFields((t) => ({
  createSignInLink: t.field({
    type: SignInLink,
    description:
      'Mints a single-use sign-in link for a staff member (a business key for its own staff, a service key for any): opening it signs that browser in with the httpOnly session cookie. API keys only.',
    args: { input: t.arg({ type: CreateSignInLinkInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: (_root, { input }, ctx) => createSignInLink(ctx.deps, { principal: ctx.principal, businessId: input.businessId, staffId: input.staffId, ttlSeconds: input.ttlSeconds }),
  }),
}));

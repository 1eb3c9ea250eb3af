import { builder } from '../builder.js';

const Viewer = builder.objectRef<{ kind: string; businessId: string | null; staffId?: string | null; sessionId?: string | null }>('Viewer').implement({
  description: 'The credentials of this request.',
  fields: (t) => ({
    kind: t.exposeString('kind', { description: '`service` (all businesses), `business` (one business) or `session` (a staff member of one business).' }),
    businessId: t.exposeString('businessId', { nullable: true, description: 'The business a business key or session belongs to.' }),
    staffId: t.exposeString('staffId', { nullable: true, description: 'The staff member of a session.' }),
    sessionId: t.exposeString('sessionId', { nullable: true }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: Viewer,
    authScopes: { authenticated: true },
    resolve: (_root, _args, ctx) => ({
      kind: ctx.principal!.kind,
      businessId: ctx.principal!.kind === 'service' ? null : ctx.principal!.businessId,
      staffId: ctx.principal!.kind === 'session' ? ctx.principal!.staffId : null,
      sessionId: ctx.principal!.kind === 'session' ? ctx.principal!.sessionId : null,
    }),
  }),
);

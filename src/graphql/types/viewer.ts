import { builder } from '../builder.js';

const Viewer = builder.objectRef<{ kind: string; businessId: string | null }>('Viewer').implement({
  description: 'The credentials of this request.',
  fields: (t) => ({
    kind: t.exposeString('kind', { description: '`service` (all businesses) or `business` (one business).' }),
    businessId: t.exposeString('businessId', { nullable: true, description: 'The business a business key belongs to.' }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: Viewer,
    authScopes: { authenticated: true },
    resolve: (_root, _args, ctx) => ({
      kind: ctx.principal!.kind,
      businessId: ctx.principal!.kind === 'business' ? ctx.principal!.businessId : null,
    }),
  }),
);

import { checkDatabase, type DatabaseHealth as DbHealth } from '../../domain/health/checkDatabase.js';
import { getHealth, type Health as HealthShape } from '../../domain/health/getHealth.js';
import { builder } from '../builder.js';

const Health = builder.objectRef<HealthShape>('Health').implement({
  description: 'Liveness of this gateway process.',
  fields: (t) => ({
    status: t.exposeString('status'),
    service: t.exposeString('service'),
    version: t.exposeString('version'),
    uptimeSeconds: t.exposeFloat('uptimeSeconds'),
  }),
});

const DatabaseHealth = builder.objectRef<DbHealth>('DatabaseHealth').implement({
  description: 'One round trip to PostgreSQL. The field errors with DATABASE_UNAVAILABLE when the database is down.',
  fields: (t) => ({
    status: t.exposeString('status'),
    latencyMs: t.exposeFloat('latencyMs'),
    serverVersion: t.exposeString('serverVersion'),
  }),
});

builder.queryFields((t) => ({
  health: t.field({ type: Health, skipTypeScopes: true, resolve: () => getHealth() }),
  databaseHealth: t.field({ type: DatabaseHealth, resolve: (_root, _args, ctx) => checkDatabase(ctx.deps) }),
}));

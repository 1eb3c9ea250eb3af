import { ApiKeyScope } from '../../generated/prisma/enums.js';
import type { ApiKey } from '../../generated/prisma/client.js';
import { createApiKey } from '../../domain/auth/createApiKey.js';
import { getApiKey } from '../../domain/auth/getApiKey.js';
import { listApiKeys } from '../../domain/auth/listApiKeys.js';
import { revokeApiKey } from '../../domain/auth/revokeApiKey.js';
import { rotateApiKey } from '../../domain/auth/rotateApiKey.js';
import { builder } from '../builder.js';

const ApiKeyScopeEnum = builder.enumType(ApiKeyScope, { name: 'ApiKeyScope', description: 'service: every business; business: one business.' });

// API keys are managed with service keys only. The hash is never selected nor exposed.
builder.prismaNode('ApiKey', {
  id: { field: 'id' },
  select: { id: true },
  authScopes: { service: true },
  fields: (t) => ({
    apiKeyId: t.exposeString('id'),
    name: t.exposeString('name'),
    scope: t.expose('scope', { type: ApiKeyScopeEnum }),
    businessId: t.exposeString('businessId', { nullable: true }),
    prefix: t.exposeString('prefix', { description: 'The first characters of the key, to recognise it.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'Refreshed at most once a minute.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    active: t.boolean({
      select: { revokedAt: true, expiresAt: true },
      resolve: (k, _args, ctx) => k.revokedAt === null && (k.expiresAt === null || k.expiresAt > ctx.deps.clock.now()),
    }),
  }),
});

export const CreatedApiKey = builder.objectRef<{ id: string; key: string; prefix: string }>('CreatedApiKey').implement({
  description: 'A new API key. `key` is shown this once: only its hash is stored.',
  fields: (t) => ({ id: t.exposeString('id'), key: t.exposeString('key'), prefix: t.exposeString('prefix') }),
});

const ApiKeySecret = builder.objectRef<{ apiKeyId: string; key: string }>('ApiKeySecret').implement({
  fields: (t) => ({
    apiKey: t.prismaField({
      type: 'ApiKey',
      resolve: (query, parent, _args, ctx) => getApiKey(ctx.deps, parent.apiKeyId, query),
    }),
    key: t.exposeString('key', { description: 'The plaintext key, shown this once.' }),
  }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'What the key is for.' }),
    businessId: t.string({ description: 'A business key for this business; omitted: a service key (every business).' }),
    expiresAt: t.field({ type: 'DateTime' }),
  }),
});

const ApiKeyIdInput = builder.inputType('ApiKeyIdInput', {
  fields: (t) => ({ id: t.string({ required: true, description: "The key's id (apiKeyId)." }) }),
});

const RotatedApiKey = builder.objectRef<{ apiKeyId: string; key: string; revokedApiKeyId: string }>('RotatedApiKey').implement({
  fields: (t) => ({
    apiKey: t.prismaField({
      type: 'ApiKey',
      description: 'The new key.',
      resolve: (query, parent, _args, ctx) => getApiKey(ctx.deps, parent.apiKeyId, query),
    }),
    key: t.exposeString('key', { description: 'The new plaintext key, shown this once.' }),
    revokedApiKey: t.prismaField({
      type: 'ApiKey',
      description: 'The old key, now revoked.',
      resolve: (query, parent, _args, ctx) => getApiKey(ctx.deps, parent.revokedApiKeyId, query),
    }),
  }),
});

builder.queryField('apiKeys', (t) =>
  t.prismaConnection({
    type: 'ApiKey',
    cursor: 'id',
    description: 'API keys, newest first (service keys only): prefix, scope, business and last use; never the key or its hash.',
    args: {
      businessId: t.arg.string(),
      scope: t.arg({ type: ApiKeyScopeEnum }),
      includeInactive: t.arg.boolean({ description: 'Also revoked and expired keys.' }),
    },
    authScopes: { service: true },
    resolve: (query, _root, args, ctx) =>
      // The planned select never includes the hash (the type does not expose it), hence the cast.
      listApiKeys(ctx.deps, { businessId: args.businessId, scope: args.scope, includeInactive: args.includeInactive }, query as Parameters<typeof listApiKeys>[2]) as Promise<ApiKey[]>,
  }),
);

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: ApiKeySecret,
    description: 'A new service key, or a business key with businessId (service keys only).',
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    authScopes: { service: true },
    resolve: async (_root, { input }, ctx) => {
      const created = await createApiKey(ctx.deps, { name: input.name, businessId: input.businessId, expiresAt: input.expiresAt });
      return { apiKeyId: created.id, key: created.key };
    },
  }),
  rotateApiKey: t.field({
    type: RotatedApiKey,
    description: "Replaces a key's secret: a new key with the same name, scope and business; the old one is revoked (service keys only).",
    args: { input: t.arg({ type: ApiKeyIdInput, required: true }) },
    authScopes: { service: true },
    resolve: async (_root, { input }, ctx) => {
      const rotated = await rotateApiKey(ctx.deps, { id: input.id });
      return { apiKeyId: rotated.apiKey.id, key: rotated.key, revokedApiKeyId: rotated.revokedApiKey.id };
    },
  }),
  revokeApiKey: t.prismaField({
    type: 'ApiKey',
    description: 'Revokes a key at once, with the sessions minted with it (service keys only).',
    args: { input: t.arg({ type: ApiKeyIdInput, required: true }) },
    authScopes: { service: true },
    resolve: async (query, _root, { input }, ctx) => {
      const { apiKey } = await revokeApiKey(ctx.deps, { id: input.id });
      return getApiKey(ctx.deps, apiKey.id, query);
    },
  }),
}));

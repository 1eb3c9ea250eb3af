// Senders of a business and their pacing (Omega's own routes, beyond the index; README "Pacing").
// Keys and sessions alike; a sender of another business is 404, the shared default sender 403
// for anyone but a service key.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Deps } from '../src/domain/deps.js';
import { listSenders, MAX_SENDER_RATE, MIN_SENDER_RATE, setSenderRate, type SenderView } from '../src/domain/sending/pacing/senders.js';
import { describe } from './catalog.js';
import { apiKeySecurity, authErrors, businessIdParams, errorResponse, IsoDateTime, Nullable, Ref, StringEnum } from './schemas.js';

export const SenderSchema = Type.Object(
  {
    key: Type.String({ description: '`sms:+15551234567`, `sms:MG…`, `sms:12345`, `email:example.com`.' }),
    channel: StringEnum(['sms', 'email']),
    kind: StringEnum(['long_code', 'toll_free', 'short_code', 'messaging_service', 'email']),
    shared: Type.Boolean({ description: 'The configured default sender, shared by every business: only a service key may set its rate.' }),
    location_ids: Type.Array(Type.String(), { description: 'The locations of this business that send from it.' }),
    default_rate: Type.Number({ description: "The kind's default rate (sends per second)." }),
    override: Nullable(Type.Number({ description: 'The override (sends per second), or null.' })),
    effective_rate: Type.Number({ description: 'The rate now: the override or the default, halved per slow-down level while a slow-down lasts.' }),
    paced: Type.Boolean({ description: 'Its sends are paced now (OMEGA_PACING; auto: live providers, or an override or slow-down).' }),
    slow_level: Type.Integer({ description: 'Slow-down after a 429 or a 30001: 0 none, n: the rate divided by 2^n.' }),
    slow_until: Nullable(IsoDateTime()),
  },
  {
    $id: 'Sender',
    description: "A sender a business's locations send from, and its pacing.",
    example: {
      key: 'sms:+15551234567',
      channel: 'sms',
      kind: 'long_code',
      shared: false,
      location_ids: ['01938a6e-7c1d-7e2f-8a3b-4c5d6e7f8a9b'],
      default_rate: 1,
      override: 2,
      effective_rate: 2,
      paced: true,
      slow_level: 0,
      slow_until: null,
    },
  },
);

export const toSender = (s: SenderView) => ({
  key: s.key,
  channel: s.channel,
  kind: s.kind,
  shared: s.shared,
  location_ids: s.locationIds,
  default_rate: s.defaultRate,
  override: s.override,
  effective_rate: s.effectiveRate,
  paced: s.paced,
  slow_level: s.slowLevel,
  slow_until: s.slowUntil?.toISOString() ?? null,
});

const security: { [scheme: string]: string[] }[] = [...apiKeySecurity, { BearerToken: [] }, { SessionCookie: [] }];
const senderParams = Type.Object({ ...businessIdParams.properties, sender: Type.String({ minLength: 1, maxLength: 300, description: 'A sender key, URL-encoded (`sms%3A%2B15551234567`).' }) });

export function sendersRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/businesses/:business_id/senders',
      {
        schema: {
          ...describe('GET', '/businesses/:business_id/senders'),
          description: "The senders of the business's locations (their own, or the shared default where they have none), with their pacing.",
          security,
          params: businessIdParams,
          response: { 200: Type.Object({ items: Type.Array(Ref(SenderSchema)), total: Type.Integer() }), ...authErrors },
        },
      },
      async (req) => {
        const senders = await listSenders(deps, { principal: req.principal, businessId: req.params.business_id });
        return { items: senders.map(toSender), total: senders.length };
      },
    );

    app.put(
      '/businesses/:business_id/senders/:sender',
      {
        schema: {
          ...describe('PUT', '/businesses/:business_id/senders/:sender'),
          description: `Sets the sender's rate override (${MIN_SENDER_RATE} to ${MAX_SENDER_RATE} sends per second), or with null removes it (back to its kind's default).`,
          security,
          params: senderParams,
          body: Type.Object(
            { rate_per_second: Nullable(Type.Number({ minimum: MIN_SENDER_RATE, maximum: MAX_SENDER_RATE, description: 'Sends per second; null: the default.' })) },
            { additionalProperties: false },
          ),
          response: {
            200: Ref(SenderSchema),
            404: errorResponse("SENDER_NOT_FOUND: not a sender of this business's locations"),
            ...authErrors,
            403: errorResponse('Credentials of another business, or SENDER_SHARED: the shared default sender (service keys only)'),
          },
        },
      },
      async (req) => {
        const sender = await setSenderRate(deps, { principal: req.principal, businessId: req.params.business_id, sender: req.params.sender, ratePerSecond: req.body.rate_per_second ?? null });
        return toSender(sender);
      },
    );
  };
}

// Group "business": onboarding a business (service keys) and its onboarding status.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type, { type Static } from 'typebox';
import type { Deps } from '../src/domain/deps.js';
import { getOnboardingStatus } from '../src/domain/onboarding/getOnboardingStatus.js';
import { onboardBusiness, type OnboardingView } from '../src/domain/onboarding/onboardBusiness.js';
import type { OnboardBusinessInput } from '../src/domain/onboarding/onboardingInput.js';
import { stepKind } from '../src/domain/onboarding/onboardingSteps.js';
import { describe } from './catalog.js';
import { apiKeySecurity, authErrors, businessIdParams, errorResponse, IsoDateTime, Nullable, optional, Ref, StringEnum } from './schemas.js';

const str = (maxLength: number, minLength = 0, description?: string) => Type.String({ minLength, maxLength, ...(description ? { description } : {}) });
const nstr = (maxLength: number) => Nullable(str(maxLength));
const strList = (maxItems: number, maxLength = 200) => Type.Array(str(maxLength, 1), { maxItems });
const hhmm = () => Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: '24-hour "HH:MM"' });
const sessionSecurity: { [scheme: string]: string[] }[] = [...apiKeySecurity, { BearerToken: [] }, { SessionCookie: [] }];

const onboardBody = Type.Object(
  {
    business_id: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$', description: 'Your own id for the business; it becomes its id in every path.' }),
    name: str(200, 1),
    ...optional({
      time_zone: str(64, 1, 'IANA time zone, e.g. America/New_York (default UTC).'),
      settings: Type.Object(
        optional({
          quiet_hours: Nullable(Type.Object({ start: hhmm(), end: hhmm() }, { additionalProperties: false, description: 'e.g. {"start": "21:00", "end": "08:00"}; null for none.' })),
          default_sender_location_external_id: nstr(200),
        }),
        { additionalProperties: false },
      ),
      locations: Type.Array(
        Type.Object(
          {
            external_id: str(200, 1),
            name: str(200, 1),
            ...optional({
              time_zone: nstr(64),
              address: nstr(500),
              sms_sender: Nullable(
                Type.Object(
                  {
                    type: StringEnum(['existing_number', 'messaging_service', 'provision']),
                    ...optional({ phone_number: nstr(32), messaging_service_sid: nstr(34), area_code: nstr(3), country: nstr(2) }),
                  },
                  {
                    additionalProperties: false,
                    description: 'existing_number (phone_number), messaging_service (messaging_service_sid[, phone_number]) or provision (area_code[, country]).',
                  },
                ),
              ),
              email_sender: Nullable(Type.Object({ from_address: str(320, 3), ...optional({ from_name: nstr(200) }) }, { additionalProperties: false })),
            }),
          },
          { additionalProperties: false },
        ),
        { maxItems: 500 },
      ),
      staff: Type.Array(
        Type.Object(
          {
            external_id: str(200, 1),
            first_name: str(100, 1),
            ...optional({
              last_name: nstr(100),
              email: nstr(320),
              phone: nstr(32),
              role: nstr(100),
              active: Type.Boolean(),
              location_external_ids: Nullable(strList(500)),
            }),
          },
          { additionalProperties: false },
        ),
        { maxItems: 5000 },
      ),
      clients: Type.Array(
        Type.Object({
          external_id: str(200, 1),
          ...optional({
            first_name: nstr(100),
            last_name: nstr(100),
            phone: nstr(32),
            phones: strList(10, 32),
            email: nstr(320),
            emails: strList(10, 320),
            home_location_external_id: nstr(200),
            type: nstr(100),
            groups: strList(50, 100),
          }),
        }),
        { maxItems: 50_000, description: 'Imported in the background (step client_import), upserted by external_id. Unknown columns are ignored.' },
      ),
      issue_api_key: Type.Boolean({ description: 'Issue a business API key (default: on the first onboarding only).' }),
    }),
  },
  { additionalProperties: false },
);

type OnboardBody = Static<typeof onboardBody>;

const stepStatus = () => StringEnum(['pending', 'running', 'succeeded', 'failed']);
const stepSchema = Type.Object({
  name: Type.String(),
  kind: StringEnum(['sms_sender', 'email_domain', 'client_import']),
  status: stepStatus(),
  attempts: Type.Integer(),
  ...optional({ error_code: Nullable(Type.String()), error_message: Nullable(Type.String()) }),
  result: Type.Unsafe<unknown>({ type: 'object', additionalProperties: true }),
  ...optional({ started_at: Nullable(IsoDateTime()), finished_at: Nullable(IsoDateTime()) }),
  updated_at: IsoDateTime(),
});

const statusFields = {
  business_id: Type.String(),
  status: StringEnum(['pending', 'running', 'succeeded', 'failed'], { description: 'pending, running (steps in progress), failed (a step failed), succeeded.' }),
  created_at: IsoDateTime(),
  updated_at: IsoDateTime(),
  ...optional({ completed_at: Nullable(IsoDateTime()) }),
  steps: Type.Array(stepSchema),
};

const statusExample = {
  business_id: 'demo',
  status: 'running',
  created_at: '2026-01-05T09:00:00.000Z',
  updated_at: '2026-01-05T09:00:02.000Z',
  completed_at: null,
  steps: [
    {
      name: 'sms_sender:loc-downtown',
      kind: 'sms_sender',
      status: 'succeeded',
      attempts: 1,
      error_code: null,
      error_message: null,
      result: { phone_number: '+14155550100' },
      started_at: '2026-01-05T09:00:01.000Z',
      finished_at: '2026-01-05T09:00:02.000Z',
      updated_at: '2026-01-05T09:00:02.000Z',
    },
    {
      name: 'client_import',
      kind: 'client_import',
      status: 'running',
      attempts: 1,
      error_code: null,
      error_message: null,
      result: {},
      started_at: '2026-01-05T09:00:01.000Z',
      finished_at: null,
      updated_at: '2026-01-05T09:00:01.000Z',
    },
  ],
};

export const OnboardingStatusSchema = Type.Object(statusFields, {
  $id: 'OnboardingStatus',
  description: "A business's onboarding: its overall status and each background step (SMS sender, email domain, client import).",
  example: statusExample,
});

const idPair = () => Type.Array(Type.Object({ id: Type.String(), external_id: Type.String() }));

export const BusinessSchema = Type.Object(
  {
    ...statusFields,
    created: Type.Boolean(),
    locations: idPair(),
    staff: idPair(),
    api_key: Nullable(Type.Object({ id: Type.String(), key: Type.String(), prefix: Type.String() }, { description: 'The new business API key: shown this once, stored only as a hash.' })),
  },
  {
    $id: 'Business',
    description: 'A business as onboarding left it: its onboarding status, whether it was created, the ids of its locations and staff, and a new API key (first onboarding).',
    example: {
      ...statusExample,
      created: true,
      locations: [{ id: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d', external_id: 'loc-downtown' }],
      staff: [{ id: '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b', external_id: 'st-1' }],
      api_key: { id: '1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7a8b', key: 'omega_bk_…', prefix: 'omega_bk_3f9a' },
    },
  },
);

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toOnboardingStatus = (o: OnboardingView) => ({
  business_id: o.businessId,
  status: o.status,
  created_at: o.createdAt.toISOString(),
  updated_at: o.updatedAt.toISOString(),
  completed_at: iso(o.completedAt),
  steps: o.steps.map((s) => ({
    name: s.name,
    kind: stepKind(s.name)!, // every step is named after its kind (onboardingSteps.ts)
    status: s.status,
    attempts: s.attempts,
    error_code: s.errorCode,
    error_message: s.errorMessage,
    result: s.result,
    started_at: iso(s.startedAt),
    finished_at: iso(s.finishedAt),
    updated_at: s.updatedAt.toISOString(),
  })),
});

/** snake_case request → the domain's camelCase input (nothing else happens here). */
function toOnboardInput(b: OnboardBody): OnboardBusinessInput {
  return {
    businessId: b.business_id,
    name: b.name,
    timeZone: b.time_zone,
    settings: b.settings
      ? {
          ...('quiet_hours' in b.settings ? { quietHours: b.settings.quiet_hours } : {}),
          ...('default_sender_location_external_id' in b.settings ? { defaultSenderLocationExternalId: b.settings.default_sender_location_external_id } : {}),
        }
      : undefined,
    locations: b.locations?.map((l) => ({
      externalId: l.external_id,
      name: l.name,
      timeZone: l.time_zone,
      address: l.address,
      smsSender: l.sms_sender && {
        type: l.sms_sender.type,
        phoneNumber: l.sms_sender.phone_number,
        messagingServiceSid: l.sms_sender.messaging_service_sid,
        areaCode: l.sms_sender.area_code,
        country: l.sms_sender.country,
      },
      emailSender: l.email_sender && { fromAddress: l.email_sender.from_address, fromName: l.email_sender.from_name },
    })),
    staff: b.staff?.map((s) => ({
      externalId: s.external_id,
      firstName: s.first_name,
      lastName: s.last_name,
      email: s.email,
      phone: s.phone,
      role: s.role,
      active: s.active,
      locationExternalIds: s.location_external_ids,
    })),
    clients: b.clients?.map((c) => ({
      externalId: c.external_id,
      firstName: c.first_name,
      lastName: c.last_name,
      phone: c.phone,
      phones: c.phones,
      email: c.email,
      emails: c.emails,
      homeLocationExternalId: c.home_location_external_id,
      type: c.type,
      groups: c.groups,
    })),
    issueApiKey: b.issue_api_key,
  };
}

export function businessRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/business/onboard',
      {
        // Client imports run to thousands of rows.
        bodyLimit: 25 * 1024 * 1024,
        config: { createsBusiness: true },
        schema: {
          ...describe('POST', '/business/onboard'),
          description:
            'Creates (201) or updates (200) a business with its settings, locations and staff, and queues the slow steps: an SMS sender per ' +
            'location (attach or provision a Twilio number), email domain registration, client import. Service API keys only. ' +
            'Onboarding again is safe: records are upserted by external id, failed or changed steps run again.',
          security: apiKeySecurity,
          body: onboardBody,
          response: {
            200: Ref(BusinessSchema, 'The business, updated'),
            201: Ref(BusinessSchema, 'The business, created'),
            409: errorResponse('A number to attach is already used by another location'),
            429: errorResponse('Rate limited'),
            ...authErrors,
          },
        },
      },
      async (req, reply) => {
        const result = await onboardBusiness(deps, { ...toOnboardInput(req.body), principal: req.principal });
        reply.status(result.created ? 201 : 200);
        return {
          ...toOnboardingStatus(result.onboarding),
          created: result.created,
          locations: result.locations.map((l) => ({ id: l.id, external_id: l.externalId })),
          staff: result.staff.map((s) => ({ id: s.id, external_id: s.externalId })),
          api_key: result.apiKey,
        };
      },
    );

    app.get(
      '/business/:business_id/onboarding-status',
      {
        schema: {
          ...describe('GET', '/business/:business_id/onboarding-status'),
          description: "The onboarding's overall status and each background step: status, attempts, error and result.",
          security: sessionSecurity,
          params: businessIdParams,
          response: { 200: Ref(OnboardingStatusSchema), 404: errorResponse('Unknown business, or not onboarded'), 429: errorResponse(), ...authErrors },
        },
      },
      async (req) => toOnboardingStatus(await getOnboardingStatus(deps, req.params.business_id)),
    );
  };
}

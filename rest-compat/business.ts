// Group "business": onboarding a business (service keys) and its onboarding status.
import type { FastifyPluginAsync } from 'fastify';
import type { Deps } from '../src/domain/deps.js';
import { getOnboardingStatus } from '../src/domain/onboarding/getOnboardingStatus.js';
import { onboardBusiness, type OnboardingView } from '../src/domain/onboarding/onboardBusiness.js';
import type { OnboardBusinessInput } from '../src/domain/onboarding/onboardingInput.js';
import { stepKind } from '../src/domain/onboarding/onboardingSteps.js';
import { describe } from './catalog.js';
import { apiKeySecurity, authErrors, businessIdParams, errorResponse, isoDateTime, nullable } from './schemas.js';

const str = (maxLength: number, minLength = 0) => ({ type: 'string', minLength, maxLength }) as const;
const nstr = (maxLength: number) => nullable(str(maxLength));
const strList = (maxItems: number, maxLength = 200) => ({ type: 'array', maxItems, items: str(maxLength, 1) }) as const;
const hhmm = { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: '24-hour "HH:MM"' } as const;
const sessionSecurity: { [scheme: string]: string[] }[] = [...apiKeySecurity, { BearerToken: [] }, { SessionCookie: [] }];

const onboardBody = {
  type: 'object',
  additionalProperties: false,
  required: ['business_id', 'name'],
  properties: {
    business_id: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$', description: 'Your own id for the business; it becomes its id in every path.' },
    name: str(200, 1),
    time_zone: { ...str(64, 1), description: 'IANA time zone, e.g. America/New_York (default UTC).' },
    settings: {
      type: 'object',
      additionalProperties: false,
      properties: {
        quiet_hours: nullable({ type: 'object', additionalProperties: false, required: ['start', 'end'], properties: { start: hhmm, end: hhmm }, description: 'e.g. {"start": "21:00", "end": "08:00"}; null for none.' }),
        default_sender_location_external_id: nstr(200),
      },
    },
    locations: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['external_id', 'name'],
        properties: {
          external_id: str(200, 1),
          name: str(200, 1),
          time_zone: nstr(64),
          address: nstr(500),
          sms_sender: nullable({
            type: 'object',
            additionalProperties: false,
            required: ['type'],
            description: 'existing_number (phone_number), messaging_service (messaging_service_sid[, phone_number]) or provision (area_code[, country]).',
            properties: {
              type: { type: 'string', enum: ['existing_number', 'messaging_service', 'provision'] },
              phone_number: nstr(32),
              messaging_service_sid: nstr(34),
              area_code: nstr(3),
              country: nstr(2),
            },
          }),
          email_sender: nullable({
            type: 'object',
            additionalProperties: false,
            required: ['from_address'],
            properties: { from_address: str(320, 3), from_name: nstr(200) },
          }),
        },
      },
    },
    staff: {
      type: 'array',
      maxItems: 5000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['external_id', 'first_name'],
        properties: {
          external_id: str(200, 1),
          first_name: str(100, 1),
          last_name: nstr(100),
          email: nstr(320),
          phone: nstr(32),
          role: nstr(100),
          active: { type: 'boolean' },
          location_external_ids: nullable(strList(500)),
        },
      },
    },
    clients: {
      type: 'array',
      maxItems: 50_000,
      description: 'Imported in the background (step client_import), upserted by external_id. Unknown columns are ignored.',
      items: {
        type: 'object',
        required: ['external_id'],
        properties: {
          external_id: str(200, 1),
          first_name: nstr(100),
          last_name: nstr(100),
          phone: nstr(32),
          phones: strList(10, 32),
          email: nstr(320),
          emails: strList(10, 320),
          home_location_external_id: nstr(200),
          type: nstr(100),
          groups: strList(50, 100),
        },
      },
    },
    issue_api_key: { type: 'boolean', description: 'Issue a business API key (default: on the first onboarding only).' },
  },
} as const;

const stepSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    kind: { type: 'string', enum: ['sms_sender', 'email_domain', 'client_import'] },
    status: { type: 'string', enum: ['pending', 'running', 'succeeded', 'failed'] },
    attempts: { type: 'integer' },
    error_code: nullable({ type: 'string' }),
    error_message: nullable({ type: 'string' }),
    result: { type: 'object', additionalProperties: true },
    started_at: nullable(isoDateTime),
    finished_at: nullable(isoDateTime),
    updated_at: isoDateTime,
  },
  required: ['name', 'kind', 'status', 'attempts', 'result', 'updated_at'],
} as const;

const statusSchema = {
  type: 'object',
  properties: {
    business_id: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'running', 'succeeded', 'failed'], description: 'pending, running (steps in progress), failed (a step failed), succeeded.' },
    created_at: isoDateTime,
    updated_at: isoDateTime,
    completed_at: nullable(isoDateTime),
    steps: { type: 'array', items: stepSchema },
  },
  required: ['business_id', 'status', 'created_at', 'updated_at', 'steps'],
} as const;

const idPair = { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, external_id: { type: 'string' } }, required: ['id', 'external_id'] } } as const;

const onboardResponse = {
  type: 'object',
  properties: {
    ...statusSchema.properties,
    created: { type: 'boolean' },
    locations: idPair,
    staff: idPair,
    api_key: nullable({
      type: 'object',
      description: 'The new business API key: shown this once, stored only as a hash.',
      properties: { id: { type: 'string' }, key: { type: 'string' }, prefix: { type: 'string' } },
      required: ['id', 'key', 'prefix'],
    }),
  },
  required: [...statusSchema.required, 'created', 'locations', 'staff', 'api_key'],
} as const;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toOnboardingStatus = (o: OnboardingView) => ({
  business_id: o.businessId,
  status: o.status,
  created_at: o.createdAt.toISOString(),
  updated_at: o.updatedAt.toISOString(),
  completed_at: iso(o.completedAt),
  steps: o.steps.map((s) => ({
    name: s.name,
    kind: stepKind(s.name),
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

interface OnboardBody {
  business_id: string;
  name: string;
  time_zone?: string;
  settings?: { quiet_hours?: { start: string; end: string } | null; default_sender_location_external_id?: string | null };
  locations?: {
    external_id: string;
    name: string;
    time_zone?: string | null;
    address?: string | null;
    sms_sender?: {
      type: 'existing_number' | 'messaging_service' | 'provision';
      phone_number?: string | null;
      messaging_service_sid?: string | null;
      area_code?: string | null;
      country?: string | null;
    } | null;
    email_sender?: { from_address: string; from_name?: string | null } | null;
  }[];
  staff?: {
    external_id: string;
    first_name: string;
    last_name?: string | null;
    email?: string | null;
    phone?: string | null;
    role?: string | null;
    active?: boolean;
    location_external_ids?: string[] | null;
  }[];
  clients?: {
    external_id: string;
    first_name?: string | null;
    last_name?: string | null;
    phone?: string | null;
    phones?: string[];
    email?: string | null;
    emails?: string[];
    home_location_external_id?: string | null;
    type?: string | null;
    groups?: string[];
  }[];
  issue_api_key?: boolean;
}

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

export function businessRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: OnboardBody }>('/business/onboard', {
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
          200: onboardResponse,
          201: onboardResponse,
          409: { ...errorResponse, description: 'A number to attach is already used by another location' },
          429: { ...errorResponse, description: 'Rate limited' },
          ...authErrors,
        },
      },
    }, async (req, reply) => {
      const result = await onboardBusiness(deps, { ...toOnboardInput(req.body), principal: req.principal });
      reply.status(result.created ? 201 : 200);
      return {
        ...toOnboardingStatus(result.onboarding),
        created: result.created,
        locations: result.locations.map((l) => ({ id: l.id, external_id: l.externalId })),
        staff: result.staff.map((s) => ({ id: s.id, external_id: s.externalId })),
        api_key: result.apiKey,
      };
    });

    app.get<{ Params: { business_id: string } }>('/business/:business_id/onboarding-status', {
      schema: {
        ...describe('GET', '/business/:business_id/onboarding-status'),
        description: "The onboarding's overall status and each background step: status, attempts, error and result.",
        security: sessionSecurity,
        params: businessIdParams,
        response: { 200: statusSchema, 404: { ...errorResponse, description: 'Unknown business, or not onboarded' }, 429: errorResponse, ...authErrors },
      },
    }, async (req) => toOnboardingStatus(await getOnboardingStatus(deps, req.params.business_id)));
  };
}

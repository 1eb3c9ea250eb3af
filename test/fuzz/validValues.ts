// Valid values for the REST fuzz's baselines: the real ids of a business for fields named after
// them, values built from the schema for the rest, and whole bodies and parameters where the
// minimal valid request would do nothing useful.
import type { Tenant } from './fuzzWorld.js';
import { schemaTypes, type JsonSchema } from './openapiOperations.js';

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A real value of this business for a field or parameter named so, if the name says what it is. */
export function knownValue(tenant: Tenant, rawName: string): unknown {
  const name = snake(rawName);
  switch (name) {
    case 'business_id':
      return tenant.id;
    case 'conversation_id':
      return tenant.conversationId;
    case 'client_id':
      return tenant.clientId;
    case 'staff_id':
    case 'author_staff_id':
    case 'assignee_id':
      return tenant.staffId;
    case 'location_id':
    case 'home_location_id':
    case 'default_sender_location_id':
      return tenant.locationId;
    case 'message_id':
      return tenant.failedMessageId;
    case 'message_ids':
      return [tenant.inboundMessageId];
    case 'mention_staff_ids':
      return [tenant.staffId];
    case 'mention_staff_id':
      return tenant.staffId;
    case 'request_id':
      return tenant.requestId;
    case 'client_external_id':
      return tenant.clientExternalId;
    case 'staff_external_id':
      return tenant.staffExternalId;
    case 'location_external_id':
      return tenant.locationExternalId;
    case 'event_id':
      return tenant.eventId;
    case 'webhook_id':
      return tenant.webhookId;
    case 'delivery_id':
      return tenant.deliveryId;
    case 'provider':
      return 'resend';
    case 'to':
    case 'phone':
      return tenant.clientPhone;
    case 'email':
      return `rosa@${tenant.id}.test`;
    case 'first_name':
      return 'Rosa';
    case 'last_name':
      return 'Mitchell';
    case 'body':
    case 'text':
      return 'Hello there';
    case 'subject':
      return 'Hello';
    case 'html':
      return '<p>Hello</p>';
    case 'q':
    case 'search':
      return 'Friday';
    case 'time_zone':
      return 'America/New_York';
    case 'url':
      // An outbound webhook endpoint: a public IP literal (nothing to resolve, nothing listens).
      return 'https://1.1.1.1/omega-fuzz';
    default:
      return undefined;
  }
}

/** A value the schema accepts: the known one for the name when it fits, else one built from the schema. */
export function validValue(schema: JsonSchema, name: string, tenant: Tenant): unknown {
  if (schema.anyOf) return validValue(schema.anyOf.find((s) => s.type !== 'null') ?? schema.anyOf[0]!, name, tenant);
  // A day (reports' from/to): before the known values, which read `to` as a phone number.
  if (schema.format === 'date') return '2026-01-15';
  const known = knownValue(tenant, name);
  const type = schemaTypes(schema)[0];
  if (known !== undefined && (type === undefined || (type === 'array') === Array.isArray(known))) {
    if (!schema.enum || schema.enum.includes(known)) return known;
  }
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum[0];
  switch (type) {
    case 'string': {
      if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      if (schema.format === 'date-time') return new Date(Date.UTC(2026, 0, 15, 12)).toISOString();
      if (schema.format === 'uri') return 'https://example.com/image.png';
      if (schema.pattern?.includes('[0-5][0-9]')) return '21:00';
      if (schema.pattern?.startsWith('^#')) return '#1f8a70'; // a label's colour
      if (schema.pattern) return 'fuzz-onboarded';
      const text = 'fuzz';
      return text.length >= (schema.minLength ?? 0) ? text.slice(0, schema.maxLength ?? 4) : text.padEnd(schema.minLength!, 'z');
    }
    case 'integer':
    case 'number':
      return Math.min(Math.max(schema.minimum ?? 1, 1), schema.maximum ?? Number.MAX_SAFE_INTEGER);
    case 'boolean':
      return false;
    case 'array':
      return [validValue(schema.items ?? {}, singular(name), tenant)];
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((key) => [key, validValue(schema.properties?.[key] ?? {}, key, tenant)]));
    default:
      return 'fuzz';
  }
}

export const singular = (name: string) => name.replace(/_ids$/, '_id').replace(/Ids$/, 'Id').replace(/s$/, '');

/** Valid bodies of the operations whose minimal body (required fields only) would do nothing useful. */
export function exampleBodies(a: Tenant): Record<string, Record<string, unknown>> {
  return {
    'POST /businesses/{business_id}/conversations': { client_id: a.clientId },
    'POST /businesses/{business_id}/conversations/{conversation_id}/notes': { body: 'Called back', author_staff_id: a.staffId, mention_staff_ids: [a.staffId] },
    'POST /businesses/{business_id}/conversations/{conversation_id}/assign': { staff_id: a.staffId },
    'POST /businesses/{business_id}/conversations/{conversation_id}/status': { status: 'snoozed', snoozed_until: '2030-01-01T00:00:00Z', pinned: true, muted: false },
    'POST /businesses/{business_id}/messages/read-status': { read: true, conversation_id: a.conversationId, channel: 'sms' },
    'POST /business/onboard': {
      business_id: 'fuzz-onboarded',
      name: 'Onboarded by the fuzz',
      time_zone: 'America/New_York',
      settings: { quiet_hours: { start: '21:00', end: '08:00' }, default_sender_location_external_id: 'main' },
      locations: [
        {
          external_id: 'main',
          name: 'Main',
          time_zone: 'America/New_York',
          address: '1 Main St',
          sms_sender: { type: 'existing_number', phone_number: '+15005550008' },
          email_sender: { from_address: 'front@onboarded.test', from_name: 'Front' },
        },
      ],
      staff: [{ external_id: 's1', first_name: 'Ada', last_name: 'Lane', email: 'ada@onboarded.test', phone: '+14155550199', role: 'owner', active: true, location_external_ids: ['main'] }],
      clients: [
        {
          external_id: 'c1',
          first_name: 'Cy',
          last_name: 'Doe',
          phone: '+14155550198',
          phones: ['+14155550197'],
          email: 'cy@x.test',
          emails: ['cy2@x.test'],
          home_location_external_id: 'main',
          type: 'vip',
          groups: ['g1'],
        },
      ],
      issue_api_key: false,
    },
    'POST /auth/token': { business_id: a.id, staff_id: a.staffId, ttl_seconds: 600, set_cookie: false },
    'POST /session/expire': { staff_id: a.staffId },
    'POST /sms/send': {
      business_id: a.id,
      to: a.clientPhone,
      body: 'Hello there',
      location_id: a.locationId,
      request_id: 'fuzz-send',
      first_name: 'Rosa',
      last_name: 'Mitchell',
      metadata: { source: 'fuzz' },
    },
    'POST /sms/record': {
      business_id: a.id,
      direction: 'inbound',
      from: a.clientPhone,
      to: a.smsNumber,
      body: 'Hi',
      location_id: a.locationId,
      provider: 'external',
      provider_message_id: 'ext-1',
      occurred_at: '2026-01-15T12:00:00Z',
      metadata: { k: 'v' },
    },
    'POST /sms/status': { business_id: a.id, message_id: a.failedMessageId, status: 'delivered', event_id: 'ev-1', occurred_at: '2026-01-15T12:00:00Z', payload: { raw: true } },
    'POST /email/send': { business_id: a.id, to: `rosa@${a.id}.test`, subject: 'Hello', text: 'Hello there', html: '<p>Hello</p>', location_id: a.locationId, metadata: { source: 'fuzz' } },
    'POST /email/record': {
      business_id: a.id,
      direction: 'inbound',
      from: `Rosa Mitchell <rosa@${a.id}.test>`,
      to: a.emailAddress,
      subject: 'Hi',
      text: 'Hi',
      location_id: a.locationId,
      occurred_at: '2026-01-15T12:00:00Z',
    },
    'POST /email/status': { business_id: a.id, message_id: a.emailMessageId, status: 'delivered', event_id: 'ev-2', payload: { raw: true } },
    'POST /messages/{business_id}/messages/retry': { message_ids: [a.failedMessageId], status: ['failed'], channel: 'sms', limit: 10 },
    'POST /messages/{business_id}/process': { channel: 'sms', to: a.clientPhone, body: 'Hello there', location_id: a.locationId, metadata: { source: 'fuzz' } },
    'POST /businesses/{business_id}/webhooks/{webhook_id}/replay': { after: '0:0', max_events: 10 },
  };
}

/** Path and query values of the operations whose baseline needs more than the names say. */
export function exampleParams(a: Tenant): Record<string, Record<string, string>> {
  return {
    // Onboarded by the POST /business/onboard baseline, which runs first.
    'GET /business/{business_id}/onboarding-status': { business_id: 'fuzz-onboarded' },
    'GET /voice-calls/token': { staff_id: a.staffId, ttl_seconds: '600' },
    'POST /email/webhooks/{provider}': { provider: 'resend' },
  };
}

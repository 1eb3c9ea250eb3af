// The shapes /openapi.json names (`components.schemas`): every REST answer that is one of them
// refers to it by `$ref` (Ref in rest-compat/schemas.ts). Registered once, on the REST plugin,
// before its routes; fast-json-stringify serializes through the same references.
import type { FastifyInstance } from 'fastify';
import { BusinessSchema, OnboardingStatusSchema } from './business.js';
import { InboxEventSchema, WebhookAttemptSchema, WebhookDeliverySchema } from './eventSchemas.js';
import { ClientSchema, ConversationSchema, LocationSchema, MessageSchema, SearchHitSchema, StaffSchema } from './representations.js';
import { ErrorSchema, ValidationErrorSchema } from './schemas.js';
import { DeliveryStatusResultSchema, QueuedEmailSchema, QueuedSmsSchema, RecordResultSchema } from './sendingSchemas.js';
import { WebhookEndpointSchema } from './webhooks.js';
import { LabelSchema } from './labels.js';
import { SenderSchema } from './senders.js';
import { SavedReplySchema } from './saved-replies.js';
import { CampaignSchema } from './campaigns.js';

const SHARED = [
  ErrorSchema,
  ValidationErrorSchema,
  MessageSchema,
  ConversationSchema,
  ClientSchema,
  StaffSchema,
  LocationSchema,
  SearchHitSchema,
  BusinessSchema,
  OnboardingStatusSchema,
  QueuedSmsSchema,
  QueuedEmailSchema,
  RecordResultSchema,
  DeliveryStatusResultSchema,
  WebhookEndpointSchema,
  InboxEventSchema,
  WebhookDeliverySchema,
  WebhookAttemptSchema,
  LabelSchema,
  SenderSchema,
  SavedReplySchema,
  CampaignSchema,
];

export function addSharedSchemas(app: FastifyInstance): void {
  for (const schema of SHARED) app.addSchema(schema);
}

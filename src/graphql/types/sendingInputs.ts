// Input types of the sending mutations (src/graphql/types/sending.ts).
import { builder } from '../builder.js';
import { ChannelEnum, MessageStatusEnum } from './enums.js';

export const RecipientInput = builder.inputType('RecipientInput', {
  description: 'An address (phone or email), a client (Omega id or your external id), or both.',
  fields: (t) => ({
    to: t.string(),
    clientId: t.string(),
    clientExternalId: t.string(),
    firstName: t.string({ description: 'Used when the client is created (first contact).' }),
    lastName: t.string(),
  }),
});

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type InputFields = PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>;

/** Where and when a queued message goes, shared by sendSms and sendEmail (after the content fields). */
const sendOptionFields = (t: InputFields) => ({
  locationId: t.string(),
  locationExternalId: t.string(),
  requestId: t.string({ description: 'The same request to the same recipient makes one message, ever.' }),
  sendAt: t.field({ type: 'DateTime' }),
  bypassQuietHours: t.boolean(),
  staffId: t.string({ description: 'The staff member sending or recording (API key; a session is its own staff member: default, and any other one is STAFF_FORBIDDEN).' }),
  metadata: t.field({ type: 'JSON' }),
});

export const SendSmsInput = builder.inputType('SendSmsInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    recipients: t.field({ type: [RecipientInput], required: true }),
    body: t.string({ description: "Required without templateId; with it, replaces the saved reply's body (a template too)." }),
    templateId: t.string({
      description:
        "A saved reply (sms or any) to send: rendered for each recipient with its own client's and location's values; a value missing without a fallback is a VALIDATION_FAILED naming the recipient and the variable.",
    }),
    mediaUrls: t.stringList(),
    ...sendOptionFields(t),
  }),
});

export const SendEmailInput = builder.inputType('SendEmailInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    recipients: t.field({ type: [RecipientInput], required: true }),
    subject: t.string({
      description: 'Omitted: the saved reply\'s subject, else a reply in the recipient\'s conversation ("Re: <its last subject>"; an error without an earlier email).',
    }),
    html: t.string({ description: 'Not with templateId (a saved reply renders plain text).' }),
    text: t.string({ description: "With templateId: replaces the saved reply's body (a template too)." }),
    templateId: t.string({ description: 'A saved reply (email or any) to send, rendered for each recipient (see SendSmsInput.templateId).' }),
    ...sendOptionFields(t),
  }),
});

const DirectionChoice = builder.enumType('RecordDirection', { values: ['inbound', 'outbound'] as const });

/** Who, where and what state a recorded message has, shared by recordSms and recordEmail. */
const recordedFields = (t: InputFields) => ({
  clientId: t.string(),
  clientExternalId: t.string(),
  locationId: t.string(),
  conversationId: t.string(),
  status: t.field({ type: MessageStatusEnum }),
  provider: t.string(),
  providerMessageId: t.string(),
  requestId: t.string(),
  occurredAt: t.field({ type: 'DateTime' }),
  staffId: t.string({ description: 'The staff member sending or recording (API key; a session is its own staff member: default, and any other one is STAFF_FORBIDDEN).' }),
  read: t.boolean(),
  metadata: t.field({ type: 'JSON' }),
});

export const RecordSmsInput = builder.inputType('RecordSmsInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    direction: t.field({ type: DirectionChoice, defaultValue: 'outbound' }),
    from: t.string(),
    to: t.string(),
    body: t.string(),
    mediaUrls: t.stringList(),
    ...recordedFields(t),
  }),
});

export const RecordEmailInput = builder.inputType('RecordEmailInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    direction: t.field({ type: DirectionChoice, defaultValue: 'outbound' }),
    from: t.string(),
    to: t.string(),
    subject: t.string(),
    html: t.string(),
    text: t.string(),
    ...recordedFields(t),
  }),
});

export const UpdateMessageStatusInput = builder.inputType('UpdateMessageStatusInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    channel: t.field({ type: ChannelEnum, description: 'sms or email (default: the message’s).' }),
    messageId: t.string(),
    provider: t.string(),
    providerMessageId: t.string(),
    status: t.string({ required: true, description: "Omega's statuses, Twilio's MessageStatus values or Resend's event names (bounced, opened, ...)." }),
    errorCode: t.string(),
    errorMessage: t.string(),
    eventId: t.string({ description: 'Your id of this report; a known one is ignored.' }),
    occurredAt: t.field({ type: 'DateTime' }),
    payload: t.field({ type: 'JSON' }),
  }),
});

export const RetryMessageInput = builder.inputType('RetryMessageInput', {
  fields: (t) => ({ businessId: t.string({ required: true }), messageId: t.string({ required: true }) }),
});

export const RetryMessagesInput = builder.inputType('RetryMessagesInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    messageIds: t.stringList({ description: 'Retry exactly these; without ids, the filters choose.' }),
    statuses: t.field({ type: [MessageStatusEnum], description: 'failed and/or undelivered (default both).' }),
    channel: t.field({ type: ChannelEnum }),
    since: t.field({ type: 'DateTime' }),
    until: t.field({ type: 'DateTime' }),
    conversationId: t.string(),
    clientId: t.string(),
    requestId: t.string(),
    limit: t.int({ description: 'Filters only: at most this many (default 100, at most 1000).' }),
  }),
});

export const ProcessMessageInput = builder.inputType('ProcessMessageInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    channel: t.field({ type: ChannelEnum, required: true }),
    direction: t.string({ description: 'inbound, outbound (default) or internal (notes).' }),
    mode: t.string({ description: 'send (default for outbound SMS/email) or record.' }),
    to: t.string(),
    from: t.string(),
    recipients: t.field({ type: [RecipientInput] }),
    body: t.string(),
    subject: t.string(),
    html: t.string(),
    mediaUrls: t.stringList(),
    sendAt: t.field({ type: 'DateTime' }),
    bypassQuietHours: t.boolean(),
    mentionStaffIds: t.stringList(),
    ...recordedFields(t),
  }),
});

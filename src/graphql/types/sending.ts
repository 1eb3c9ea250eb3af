// Sending: queue and record SMS/email, delivery status updates, retries, and process-any-channel.
// The mutations answer ids and statuses (the Message type itself lives in message.ts).
import type { MessageStatus } from '../../generated/prisma/enums.js';
import type { SmsSegments } from '../../domain/sending/countSmsSegments.js';
import { processMessage, type ProcessResult } from '../../domain/sending/processMessage.js';
import { queueEmail } from '../../domain/sending/queueEmail.js';
import type { QueuedMessage, RecipientInput as Recipient } from '../../domain/sending/sendRequest.js';
import { queueSms } from '../../domain/sending/queueSms.js';
import { recordEmail } from '../../domain/sending/recordEmail.js';
import type { RecordResult as RecordShape } from '../../domain/sending/recordMessage.js';
import { recordSms } from '../../domain/sending/recordSms.js';
import { retryMessage, type RetryResult as RetryShape } from '../../domain/sending/retryMessage.js';
import { retryMessages, type RetrySkipped } from '../../domain/sending/retryMessages.js';
import { reportDeliveryStatus } from '../../domain/sending/reportDeliveryStatus.js';
import type { DeliveryStatusResult } from '../../domain/sending/updateDeliveryStatus.js';
import { ValidationError } from '../../domain/errors.js';
import { builder } from '../builder.js';
import { ChannelEnum, MessageStatusEnum } from './enums.js';
import { ProcessMessageInput, RecordEmailInput, RecordSmsInput, RetryMessageInput, RetryMessagesInput, SendEmailInput, SendSmsInput, UpdateMessageStatusInput } from './sendingInputs.js';

// ---- results -------------------------------------------------------------------------------

const SmsSegmentsRef = builder.objectRef<SmsSegments>('SmsSegments').implement({
  description: 'How an SMS body is split: GSM-7 holds 160 characters (153 per part when split), UCS-2 70 (67).',
  fields: (t) => ({
    encoding: t.exposeString('encoding', { description: 'gsm7 or ucs2' }),
    count: t.exposeInt('segments'),
    units: t.exposeInt('units', { description: 'Septets (gsm7) or UTF-16 code units (ucs2).' }),
  }),
});

const QueuedMessageRef = builder.objectRef<QueuedMessage>('QueuedMessage').implement({
  fields: (t) => ({
    messageId: t.exposeString('messageId'),
    conversationId: t.exposeString('conversationId'),
    clientId: t.exposeString('clientId'),
    to: t.exposeString('to'),
    status: t.field({ type: MessageStatusEnum, resolve: (m) => m.status as MessageStatus }),
    scheduledAt: t.field({ type: 'DateTime', nullable: true, resolve: (m) => m.scheduledAt }),
    created: t.exposeBoolean('created', { description: 'false: already sent under this requestId; nothing new was queued.' }),
  }),
});

type SendShape = { requestId: string | null; messages: QueuedMessage[]; segments: SmsSegments | null };

const SendResult = builder.objectRef<SendShape>('SendResult').implement({
  description: 'The queued messages; sending happens in the background.',
  fields: (t) => ({
    requestId: t.exposeString('requestId', { nullable: true }),
    status: t.string({
      description: "The messages' status when they all share it, else `mixed`.",
      resolve: (r) => {
        const statuses = new Set(r.messages.map((m) => m.status));
        return statuses.size === 1 ? [...statuses][0]! : 'mixed';
      },
    }),
    messageIds: t.stringList({ resolve: (r) => r.messages.map((m) => m.messageId) }),
    messages: t.field({ type: [QueuedMessageRef], resolve: (r) => r.messages }),
    segments: t.field({ type: SmsSegmentsRef, nullable: true, resolve: (r) => r.segments }),
  }),
});

const RecordResult = builder.objectRef<RecordShape>('RecordResult').implement({
  fields: (t) => ({
    messageId: t.exposeString('messageId'),
    conversationId: t.exposeString('conversationId'),
    clientId: t.exposeString('clientId'),
    status: t.field({ type: MessageStatusEnum, resolve: (r) => r.status }),
    created: t.exposeBoolean('created', { description: 'false: recorded before (same provider message id).' }),
  }),
});

const MessageStatusUpdate = builder.objectRef<DeliveryStatusResult>('MessageStatusUpdate').implement({
  fields: (t) => ({
    messageId: t.exposeString('messageId'),
    previousStatus: t.field({ type: MessageStatusEnum, resolve: (r) => r.previousStatus }),
    status: t.field({ type: MessageStatusEnum, resolve: (r) => r.status }),
    changed: t.exposeBoolean('changed', { description: 'false for a repeated or late report (statuses only move forward).' }),
    duplicate: t.exposeBoolean('duplicate', { description: 'The eventId was seen before: nothing was recorded.' }),
  }),
});

const RetryResult = builder.objectRef<RetryShape>('RetryResult').implement({
  fields: (t) => ({
    messageId: t.exposeString('messageId'),
    status: t.field({ type: MessageStatusEnum, resolve: (r) => r.status }),
    attempts: t.exposeInt('attempts', { description: 'Send attempts made before this retry.' }),
  }),
});

const RetrySkippedRef = builder.objectRef<RetrySkipped>('RetrySkipped').implement({
  fields: (t) => ({ messageId: t.exposeString('messageId'), code: t.exposeString('code'), detail: t.exposeString('detail') }),
});

const RetryBatchResult = builder.objectRef<{ retried: RetryShape[]; skipped: RetrySkipped[] }>('RetryBatchResult').implement({
  fields: (t) => ({
    retried: t.field({ type: [RetryResult], resolve: (r) => r.retried }),
    skipped: t.field({ type: [RetrySkippedRef], resolve: (r) => r.skipped }),
  }),
});

const ProcessResultRef = builder.objectRef<ProcessResult>('ProcessResult').implement({
  fields: (t) => ({
    mode: t.exposeString('mode', { description: 'send (queued) or record' }),
    channel: t.field({ type: ChannelEnum, resolve: (r) => r.channel }),
    direction: t.exposeString('direction'),
    requestId: t.exposeString('requestId', { nullable: true }),
    messageIds: t.stringList({ resolve: (r) => r.messages.map((m) => m.messageId) }),
    messages: t.field({ type: [RecordResult], resolve: (r) => r.messages }),
    segments: t.field({ type: SmsSegmentsRef, nullable: true, resolve: (r) => r.segments }),
  }),
});

// ---- mutations -----------------------------------------------------------------------------

type RecipientArg = { to?: string | null; clientId?: string | null; clientExternalId?: string | null; firstName?: string | null; lastName?: string | null };
const toRecipients = (list: RecipientArg[]): Recipient[] => list.map((r) => ({ ...r }));
const metadataOf = (value: unknown): Record<string, unknown> | null => {
  if (value == null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw new ValidationError([{ type: 'dict_type', loc: ['metadata'], msg: 'metadata must be an object' }]);
  return value as Record<string, unknown>;
};

builder.mutationFields((t) => ({
  sendSms: t.field({
    type: SendResult,
    description: 'Queue an SMS to one or many recipients: stored with its send job in one transaction; Twilio is called in the background.',
    args: { input: t.arg({ type: SendSmsInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: async (_root, { input }, ctx) => {
      const r = await queueSms(ctx.deps, {
        ...input,
        recipients: toRecipients(input.recipients),
        principal: ctx.principal,
        authorStaffId: input.staffId,
        bypassQuietHours: input.bypassQuietHours ?? false,
        metadata: metadataOf(input.metadata),
      });
      return { requestId: r.requestId, messages: r.messages, segments: r.segments };
    },
  }),
  sendEmail: t.field({
    type: SendResult,
    description: 'Queue an email to one or many recipients; Resend is called in the background with the idempotency key email/<messageId>.',
    args: { input: t.arg({ type: SendEmailInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: async (_root, { input }, ctx) => {
      const r = await queueEmail(ctx.deps, {
        ...input,
        recipients: toRecipients(input.recipients),
        principal: ctx.principal,
        authorStaffId: input.staffId,
        bypassQuietHours: input.bypassQuietHours ?? false,
        metadata: metadataOf(input.metadata),
      });
      return { requestId: r.requestId, messages: r.messages, segments: null };
    },
  }),
  recordSms: t.field({
    type: RecordResult,
    description: 'Record an SMS sent or received elsewhere; nothing is sent.',
    args: { input: t.arg({ type: RecordSmsInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: (_root, { input }, ctx) =>
      recordSms(ctx.deps, { ...input, direction: input.direction ?? 'outbound', principal: ctx.principal, authorStaffId: input.staffId, seen: input.read, metadata: metadataOf(input.metadata) }),
  }),
  recordEmail: t.field({
    type: RecordResult,
    description: 'Record an email sent or received elsewhere; nothing is sent.',
    args: { input: t.arg({ type: RecordEmailInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: (_root, { input }, ctx) =>
      recordEmail(ctx.deps, { ...input, direction: input.direction ?? 'outbound', principal: ctx.principal, authorStaffId: input.staffId, seen: input.read, metadata: metadataOf(input.metadata) }),
  }),
  updateMessageStatus: t.field({
    type: MessageStatusUpdate,
    description: 'A delivery status report: statuses only move forward, every report is kept as an event.',
    args: { input: t.arg({ type: UpdateMessageStatusInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: (_root, { input }, ctx) => reportDeliveryStatus(ctx.deps, input),
  }),
  retryMessage: t.field({
    type: RetryResult,
    description: 'A real new send of a failed message (MESSAGE_NOT_FAILED otherwise).',
    args: { input: t.arg({ type: RetryMessageInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: (_root, { input }, ctx) => retryMessage(ctx.deps, { ...input, principal: ctx.principal }),
  }),
  retryMessages: t.field({
    type: RetryBatchResult,
    description: 'Retry failed messages by ids or filters; the ones that cannot be retried are listed in skipped.',
    args: { input: t.arg({ type: RetryMessagesInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: (_root, { input }, ctx) => {
      const channel = input.channel === 'sms' || input.channel === 'email' ? input.channel : null;
      if (input.channel && !channel) throw new ValidationError([{ type: 'enum', loc: ['channel'], msg: 'Only SMS and email can be retried', input: input.channel }]);
      return retryMessages(ctx.deps, {
        businessId: input.businessId,
        messageIds: input.messageIds,
        filter: { status: input.statuses, channel, since: input.since, until: input.until, conversationId: input.conversationId, clientId: input.clientId, requestId: input.requestId },
        limit: input.limit,
        principal: ctx.principal,
      });
    },
  }),
  processMessage: t.field({
    type: ProcessResultRef,
    description: 'One entry for any channel (sms, email, voice, note), inbound or outbound, sent or recorded.',
    args: { input: t.arg({ type: ProcessMessageInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: (_root, { input }, ctx) => {
      const oneOf = <T extends string>(field: string, value: string | null | undefined, allowed: readonly T[]): T | null => {
        if (value == null) return null;
        if (!allowed.includes(value as T)) throw new ValidationError([{ type: 'enum', loc: [field], msg: `One of ${allowed.join(', ')}`, input: value }]);
        return value as T;
      };
      return processMessage(ctx.deps, {
        ...input,
        direction: oneOf('direction', input.direction, ['inbound', 'outbound', 'internal'] as const),
        mode: oneOf('mode', input.mode, ['send', 'record'] as const),
        recipients: input.recipients ? toRecipients(input.recipients) : null,
        seen: input.read,
        principal: ctx.principal,
        staffId: input.staffId,
        metadata: metadataOf(input.metadata),
      });
    },
  }),
}));

import type { Client, Conversation } from '../../generated/prisma/client.js';
import { addJobs, type JobSpec } from '../../db/sql/addJobs.js';
import { lockConversations } from '../../db/sql/locks.js';
import { selectMessagesByIdempotencyKeys } from '../../db/sql/selectMessagesByIdempotencyKeys.js';
import { selectSendContext, type SendContext, type SendLocationRow } from '../../db/sql/selectSendContext.js';
import type { Tx } from '../../db/tx.js';
import { parseBusinessSettings } from '../businesses/parseBusinessSettings.js';
import { findOrCreateClients } from '../clients/findOrCreateClients.js';
import { createOrGetConversations, type ConversationKey } from '../conversations/createOrGetConversations.js';
import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../errors.js';
import { appendOutboundMessages } from '../messages/appendOutboundMessages.js';
import type { NewMessage } from '../../db/sql/insertMessage.js';
import type { NormalisedRecipient, QueuedMessage, QueueItem, QueueResult } from './sendRequest.js';
import { resolveEmailFrom } from './resolveEmailFrom.js';
import { resolveSendTime } from './resolveSendTime.js';
import { resolveSmsSender } from './resolveSmsSender.js';
import { SEND_JOB_MAX_ATTEMPTS } from './sendJobMaxAttempts.js';
import { senderRefOf } from './pacing/paceSend.js';
import { spreadBulkJobs } from './pacing/spreadBulkJobs.js';
import { runTransaction } from '../../db/transaction.js';
import { selectEmailThreads, type EmailThreadRow } from '../../db/sql/selectEmailThreads.js';
import { renderForRecipient } from '../savedReplies/renderForRecipient.js';
import { EMAIL_THREAD_METADATA_KEY, messageIdHeaderValue, replySubject } from './emailThreading.js';
import { EMAIL_SUBJECT_MAX, SMS_MAX_LENGTH } from './sendLimits.js';

/**
 * Queues the send requests of one business in ONE Prisma interactive transaction: every
 * recipient's client (findOrCreateClients), then every new message's conversation
 * (createOrGetConversations), each in a few statements for the whole batch, then every send job
 * (one add_jobs statement), then every message through appendMessage, last, so the conversation
 * rows it locks are held for the shortest time. A request that fails (opted out, no
 * sender, ...) fails the whole transaction; group commit (queueOutbound) then runs each request alone.
 *
 * request_id: the requests' locks per (business, request_id) are taken first, in one sorted
 * statement, so a concurrent duplicate from another transaction waits and then finds these
 * messages by their idempotency key; duplicates inside the batch are matched here.
 */
export async function queueBatch(deps: Deps, businessId: string, items: QueueItem[]): Promise<QueueResult[]> {
  return runTransaction(
    deps,
    async (tx) => {
      const lockKeys = [...new Set(items.flatMap((it) => (it.input.requestId ? [`omega_send:${businessId}:${it.input.requestId}`] : [])))].sort();
      const total = items.reduce((n, it) => n + it.recipients.length, 0);
      const staffIds = [...new Set(items.flatMap((it) => (it.input.authorStaffId ? [it.input.authorStaffId] : [])))];
      const context = await selectSendContext(tx.sql, businessId, { lockKeys, idCount: total, staffIds });
      if (!context) throw new NotFoundError('BUSINESS_NOT_FOUND', `No business with id ${JSON.stringify(businessId)}.`);

      // Recipients already sent to under these request ids: read in a statement after the locks', so
      // a concurrent duplicate has committed by now.
      const keys = items.flatMap((it) => it.recipients.flatMap((r) => (it.input.requestId && r.to ? [idempotencyKey(it.input.channel, it.input.requestId, r.to)] : [])));
      const known = new Map(keys.length ? (await findByKeys(tx, businessId, keys)).map((m) => [m.key, m.message]) : []);

      // Clients first, for every request, in one call (its locks are taken in one ordered statement).
      const pending = items.flatMap((it) =>
        it.recipients.filter((r) => !(r.to && it.input.requestId && known.has(idempotencyKey(it.input.channel, it.input.requestId, r.to)))).map((r) => ({ r, channel: it.input.channel })),
      );
      const found = await findOrCreateClients(
        tx,
        pending.map(({ r, channel }) => ({
          businessId,
          clientId: r.clientId,
          externalId: r.clientExternalId,
          ...(channel === 'sms' ? { phone: r.to } : { email: r.to }),
          firstName: r.firstName,
          lastName: r.lastName,
        })),
      );
      const clients = new Map(pending.map(({ r }, i) => [r, found[i]!.client]));

      const batch: Batch = {
        tx,
        deps,
        businessId,
        context,
        locations: new Map((context.locations ?? []).map((l) => [l.id, l])),
        known,
        drafted: new Map(),
        clients,
        drafts: [],
        jobs: [],
        appends: [],
        nextId: 0,
      };
      const prepared = [];
      for (const item of items) prepared.push(await prepare(batch, item));
      // Then the conversations of every new message in one call, and the messages and jobs that need them.
      const conversations = await createOrGetConversations(
        tx,
        batch.drafts.map((d) => d.conversationKey),
      );
      // Each message's text: a template rendered with its recipient's values, an email's subject and
      // thread headers (one statement for the batch's email conversations), all in memory.
      const contents = await draftContents(
        batch,
        conversations.map((c) => c.conversation),
      );
      const queued = new Map(batch.drafts.map((d, i) => [d, queueDraft(batch, d, conversations[i]!.conversation, contents[i]!)]));
      const bodies = new Map(batch.drafts.map((d, i) => [d, contents[i]!.body]));
      const results = prepared.map(({ requestId, slots }, i) => ({
        requestId,
        messages: slots.map((s) => ('draft' in s ? { ...queued.get(s.draft)!, created: s.created } : s.message)),
        ...(items[i]!.template ? { renderedBodies: slots.flatMap((s) => ('draft' in s && s.created ? [bodies.get(s.draft) ?? ''] : [])) } : {}),
      }));
      // Bulk jobs to a paced sender are dated along its budget (one statement per sender, outside this transaction).
      await spreadBulkJobs(deps, batch.jobs);
      await addJobs(tx.sql, batch.jobs);
      // appendMessage locks its conversation's row. With several conversations in one transaction,
      // take their rows first, in id order, so two such transactions never wait for each other in
      // opposite orders (no deadlock).
      const conversationIds = [...new Set(batch.appends.map((m) => m.conversationId))].sort();
      if (conversationIds.length > 1) {
        await lockConversations(tx.sql, conversationIds);
      }
      // One statement per wave of distinct conversations (appendOutboundMessages), not one per message.
      await appendOutboundMessages(tx, businessId, batch.appends);
      return results;
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

interface Batch {
  tx: Tx;
  deps: Deps;
  businessId: string;
  context: SendContext;
  locations: Map<string, SendLocationRow>;
  /** Messages committed before, by idempotency key. */
  known: Map<string, QueuedMessage>;
  /** Messages prepared earlier in this batch, by idempotency key. */
  drafted: Map<string, Draft>;
  /** Each recipient's client, resolved up front. */
  clients: Map<NormalisedRecipient, Client>;
  /** Every new message, in request and recipient order. */
  drafts: Draft[];
  jobs: JobSpec[];
  appends: NewMessage[];
  nextId: number;
}

/** A new message, prepared before its conversation is known. */
interface Draft {
  item: QueueItem;
  messageId: string;
  client: Client;
  to: string;
  key: string | null;
  conversationKey: ConversationKey;
  /** The recipient's place in the request, for errors that name it. */
  loc: (string | number)[];
}

/** One recipient's outcome: a message sent before under the same request id, or a new one (a duplicate within the batch: not created). */
type Slot = { message: QueuedMessage } | { draft: Draft; created: boolean };

/** One request's clients, addresses, consent and duplicates, as drafts; throws for a request that cannot be queued. */
async function prepare(b: Batch, item: QueueItem): Promise<{ requestId: string | null; slots: Slot[] }> {
  const { tx, businessId } = b;
  const { input } = item;
  const channel = input.channel;
  const requestId = input.requestId ?? null;
  const settings = parseBusinessSettings(b.context.settings);
  if (input.authorStaffId && !b.context.staff_ids.includes(input.authorStaffId)) {
    throw new NotFoundError('STAFF_NOT_FOUND', `No staff member ${input.authorStaffId} in business ${JSON.stringify(businessId)}.`);
  }
  let locationId = input.locationId ?? null;
  if (!locationId && input.locationExternalId) {
    locationId = [...b.locations.values()].find((l) => l.externalId === input.locationExternalId)?.id ?? null;
    if (!locationId) throw new NotFoundError('LOCATION_NOT_FOUND', `No location with external id ${JSON.stringify(input.locationExternalId)} in business ${JSON.stringify(businessId)}.`);
  }

  const slots: Slot[] = [];
  const optedOut: string[] = [];
  const noAddress: FieldIssue[] = [];
  for (const r of item.recipients) {
    const messageId = b.context.ids[b.nextId++]!;
    const earlier = r.to && requestId ? recall(b, idempotencyKey(channel, requestId, r.to)) : undefined;
    if (earlier) {
      slots.push(earlier);
      continue;
    }
    const client = b.clients.get(r)!;
    const to = r.to ?? (channel === 'sms' ? client.phones[0] : client.emails[0]);
    if (!to) {
      noAddress.push({ type: 'value_error', loc: [...r.loc, 'to'], msg: `Client ${client.id} has no ${channel === 'sms' ? 'phone number' : 'email address'}; give one in "to"` });
      continue;
    }
    const key = requestId ? idempotencyKey(channel, requestId, to) : null;
    if (key && !r.to) {
      let found = recall(b, key);
      if (!found) {
        const [committed] = await findByKeys(tx, businessId, [key]);
        found = committed && { message: committed.message };
      }
      if (found) {
        slots.push(found);
        continue;
      }
    }
    if (channel === 'sms' ? client.smsOptOut : client.emailSuppressed) {
      optedOut.push(`${to} (client ${client.id})`);
      continue;
    }
    // No location named: the client's home location (createOrGetConversations' own default), else
    // the business's default sender location.
    const conversationKey = { businessId, clientId: client.id, locationId: locationId ?? (client.homeLocationId ? null : settings.defaultSenderLocationId) };
    const draft = { item, messageId, client, to, key, conversationKey, loc: r.loc };
    b.drafts.push(draft);
    if (key) b.drafted.set(key, draft);
    slots.push({ draft, created: true });
  }
  if (noAddress.length) throw new ValidationError(noAddress);
  if (optedOut.length) {
    throw channel === 'sms'
      ? new ConflictError('CLIENT_OPTED_OUT', `Not sent: opted out of SMS: ${optedOut.join(', ')}. Nothing in this request was queued; remove them and send again.`)
      : new ConflictError('EMAIL_SUPPRESSED', `Not sent: email suppressed for ${optedOut.join(', ')}. Nothing in this request was queued; remove them and send again.`);
  }
  return { requestId, slots };
}

/** The message an idempotency key already names, in this batch or committed before. */
function recall(b: Batch, key: string): Slot | undefined {
  const draft = b.drafted.get(key);
  if (draft) return { draft, created: false };
  const message = b.known.get(key);
  return message && { message: { ...message, created: false } };
}

/** What a draft's message holds: its text as sent, and its metadata. */
interface DraftContent {
  body: string | null;
  subject: string | null;
  metadata: Record<string, unknown>;
}

/**
 * Every draft's content, in order. A templated draft is rendered with its client, its
 * conversation's location, the sending staff member and the business (a value missing without a
 * fallback is a 422 naming the recipient and the variable); an email with no subject takes "Re: <the
 * conversation's last subject>"; an email in a conversation with an inbound email carries its
 * Message-ID for In-Reply-To and References (kept in the metadata for the worker). Every problem of
 * the batch is answered at once.
 */
async function draftContents(b: Batch, conversations: Conversation[]): Promise<DraftContent[]> {
  const emailConversations = [...new Set(b.drafts.flatMap((d, i) => (d.item.input.channel === 'email' ? [conversations[i]!.id] : [])))];
  const threads = new Map<string, EmailThreadRow>(emailConversations.length ? (await selectEmailThreads(b.tx.sql, emailConversations)).map((r) => [r.conversation_id, r]) : []);
  const issues: FieldIssue[] = [];
  const contents = b.drafts.map((d, i): DraftContent => {
    const conversation = conversations[i]!;
    const { input, template } = d.item;
    // emailThread is Omega's (the headers the worker sends): never the caller's.
    const { [EMAIL_THREAD_METADATA_KEY]: _caller, ...rest } = input.metadata ?? {};
    const metadata = input.channel === 'email' || template ? rest : (input.metadata ?? {});
    let body = input.content.body;
    let subject = input.content.subject;
    if (template) {
      const location = b.locations.get(conversation.locationId);
      const rendered = renderForRecipient(template, { loc: d.loc, to: d.to, client: d.client, location: location ?? { name: '', smsPhoneNumber: null } });
      issues.push(...rendered.issues);
      body = rendered.body;
      if (input.channel === 'email') subject = rendered.subject?.trim() || null;
      metadata['savedReplyId'] = template.id;
      if (rendered.issues.length === 0 && body.trim() === '' && input.content.media.length === 0) {
        issues.push({ type: 'string_too_short', loc: d.loc, msg: `Recipient ${d.to}: the saved reply renders an empty message` });
      }
      if (input.channel === 'sms' && body.length > SMS_MAX_LENGTH) {
        issues.push({ type: 'string_too_long', loc: d.loc, msg: `Recipient ${d.to}: the rendered SMS has ${body.length} characters, more than ${SMS_MAX_LENGTH}`, input: body.length });
      }
    }
    if (input.channel === 'email') {
      const thread = threads.get(conversation.id);
      if (!subject && thread?.last_subject) subject = replySubject(thread.last_subject).slice(0, EMAIL_SUBJECT_MAX);
      if (!subject) {
        issues.push({
          type: 'missing',
          loc: ['subject'],
          msg: `Field required: recipient ${d.to} has no earlier email in its conversation to reply to (a reply's subject is "Re: <the last subject>")`,
        });
      } else if (subject.length > EMAIL_SUBJECT_MAX || /[\r\n]/.test(subject)) {
        issues.push({ type: 'value_error', loc: d.loc, msg: `Recipient ${d.to}: the subject must be one line of at most ${EMAIL_SUBJECT_MAX} characters`, input: subject.slice(0, 100) });
      }
      const inReplyTo = messageIdHeaderValue(thread?.last_inbound_message_id);
      if (inReplyTo) metadata[EMAIL_THREAD_METADATA_KEY] = { inReplyTo, references: inReplyTo };
    }
    return { body, subject, metadata };
  });
  if (issues.length) throw new ValidationError(issues);
  return contents;
}

/** A draft's sender, send time, job and message-to-append, in its conversation; throws when it could never go out. */
function queueDraft(b: Batch, d: Draft, conversation: Conversation, content: DraftContent): QueuedMessage {
  const { deps, businessId } = b;
  const { input, now } = d.item;
  const channel = input.channel;
  const task = channel === 'sms' ? 'send_sms' : 'send_email';
  const location = b.locations.get(conversation.locationId);
  if (!location) throw new Error(`internal error: location ${conversation.locationId} of conversation ${conversation.id} is not one of the business's`);
  const from = senderOf(deps, channel, location);
  const sender = pacingSender(deps, channel, location);
  const bulk = (input.traffic ?? (input.recipients.length > 1 ? 'bulk' : 'conversation')) === 'bulk';
  const when = resolveSendTime({
    now,
    sendAt: input.sendAt,
    businessSettings: b.context.settings,
    timeZones: [location.timeZone, b.context.time_zone],
    bypassQuietHours: input.bypassQuietHours,
  });
  b.jobs.push({
    task,
    payload: sender ? { messageId: d.messageId, sender: sender.key } : { messageId: d.messageId },
    jobKey: `${task}:${d.messageId}`,
    runAt: when.runAt,
    maxAttempts: SEND_JOB_MAX_ATTEMPTS,
    priority: bulk ? 1 : 0,
  });
  b.appends.push({
    // Drawn by the batch's first statement (omega_uuid_v7, like the column default) so the job could name it.
    id: d.messageId,
    businessId,
    conversationId: conversation.id,
    clientId: d.client.id,
    locationId: location.id,
    channel,
    direction: 'outbound',
    status: when.status,
    body: content.body,
    subject: content.subject,
    html: input.content.html,
    media: input.content.media.map((m) => ({ url: m.url, contentType: m.contentType ?? null })),
    fromAddress: from,
    toAddress: d.to,
    requestId: input.requestId ?? null,
    idempotencyKey: d.key,
    authorStaffId: input.authorStaffId ?? null,
    scheduledAt: when.runAt,
    metadata: content.metadata as object,
    campaignId: input.campaignId ?? null,
  });
  return { messageId: d.messageId, conversationId: conversation.id, clientId: d.client.id, to: d.to, status: when.status, scheduledAt: when.runAt, created: true };
}

/** The sender's pacing key of this location (the same choice as senderOf). */
function pacingSender(deps: Deps, channel: 'sms' | 'email', location: SendLocationRow) {
  return senderRefOf(deps, {
    channel,
    location_messaging_service_sid: location.messagingServiceSid,
    location_sms_phone_number: location.smsPhoneNumber,
    location_email_from: location.emailFrom,
    location_email_from_name: location.emailFromName,
  });
}

function idempotencyKey(channel: string, requestId: string, to: string): string {
  return `${channel}:${requestId}:${to}`;
}

async function findByKeys(tx: Tx, businessId: string, keys: string[]): Promise<{ key: string; message: QueuedMessage }[]> {
  const rows = await selectMessagesByIdempotencyKeys(tx.sql, businessId, keys);
  return rows.map((m) => ({
    key: m.idempotency_key,
    message: { messageId: m.id, conversationId: m.conversation_id, clientId: m.client_id, to: m.to_address ?? '', status: m.status, scheduledAt: m.scheduled_at, created: false },
  }));
}

/** The sender this location would use; a send that could never go out is refused now, not failed later. */
function senderOf(deps: Deps, channel: 'sms' | 'email', location: SendLocationRow): string | null {
  if (channel === 'sms') {
    const sender = resolveSmsSender({
      locationMessagingServiceSid: location.messagingServiceSid,
      locationPhoneNumber: location.smsPhoneNumber,
      channelDefault: deps.channels.sms.defaultSender,
    });
    if (!sender) {
      throw new ConflictError(
        'NO_SMS_SENDER',
        `Location ${location.id} (${location.name}) has no SMS number or messaging service, and no default is configured: set one on the location, or TWILIO_MESSAGING_SERVICE_SID / TWILIO_FROM_NUMBER.`,
      );
    }
    return sender.from ?? null;
  }
  const from = resolveEmailFrom({ locationEmailFrom: location.emailFrom, locationEmailFromName: location.emailFromName, channelDefault: deps.channels.email.defaultFrom });
  if (!from) {
    throw new ConflictError('NO_EMAIL_SENDER', `Location ${location.id} (${location.name}) has no email_from and OMEGA_EMAIL_FROM is not set.`);
  }
  return from;
}

// What each type of inbox event records (its payload, "changes" in the webhooks' JSON), read into
// typed values. The payload is JSON in the log: a field a writer did not set, or one of a shape it
// never wrote, reads as null (or the documented default), never as a wrong type.
// Writers: message.created in db/sql/insertMessage.ts; message.status_changed in
// db/sql/applyDeliveryStatuses.ts, db/sql/requeueMessage.ts, sending/retryMessage.ts and
// voice/applyCallChange.ts; conversation.updated in conversations/updateConversationStatus.ts,
// endSnooze.ts and assignConversation.ts; conversation.read in messages/markMessagesRead.ts;
// client.updated in db/sql/applyDeliveryStatuses.ts and clients/applySmsKeyword.ts; staff.updated in
// staff/setStaffAvailability.ts; location.updated in locations/updateAutoAssignment.ts; auto-assignments
// (conversation.updated, reason auto_assigned) in assignment/autoAssignConversation.ts; label.changed in
// labels/createLabel.ts (create, update, delete); conversation.updated (labels) in labels/*;
// saved_reply.* in savedReplies/savedReplyEvents.ts; campaign.updated and campaign.progress in
// campaigns/campaignEvents.ts.
import type { ConsentSignal } from '../../channels/types.js';
import { Channel, ConversationStatus, Direction, MessageStatus, StaffAvailability, VoiceCallStatus } from '../../generated/prisma/enums.js';

type Payload = Record<string, unknown>;

const string = (p: Payload, key: string): string | null => (typeof p[key] === 'string' ? p[key] : null);
const boolean = (p: Payload, key: string): boolean | null => (typeof p[key] === 'boolean' ? p[key] : null);
const strings = (p: Payload, key: string): string[] => (Array.isArray(p[key]) ? (p[key] as unknown[]).filter((v): v is string => typeof v === 'string') : []);
const integer = (p: Payload, key: string): number | null => (Number.isSafeInteger(p[key]) ? (p[key] as number) : null);
function oneOf<V extends string>(values: Record<string, V>, p: Payload, key: string): V | null {
  const value = p[key];
  return typeof value === 'string' && Object.hasOwn(values, value) ? (value as V) : null;
}
/** A time the payload holds as ISO 8601 text. */
function time(p: Payload, key: string): Date | null {
  const value = string(p, key);
  const date = value === null ? null : new Date(value);
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

/** message.created: a message, note (with its mentions) or call was recorded. */
export interface MessageCreatedChanges {
  channel: Channel | null;
  direction: Direction | null;
  /** The message's status when it was recorded. */
  status: MessageStatus | null;
  /** The conversation's status after the message (an inbound message reopens an archived or snoozed one). */
  conversationStatus: ConversationStatus | null;
  /** The message reopened its conversation. */
  reopened: boolean;
}

export function messageCreatedChanges(p: Payload): MessageCreatedChanges {
  return {
    channel: oneOf(Channel, p, 'channel'),
    direction: oneOf(Direction, p, 'direction'),
    status: oneOf(MessageStatus, p, 'status'),
    conversationStatus: oneOf(ConversationStatus, p, 'conversationStatus'),
    reopened: boolean(p, 'reopened') ?? false,
  };
}

/** message.status_changed: a message's delivery status changed, or a call's status. */
export interface MessageStatusChangedChanges {
  channel: Channel | null;
  /** The new status; null for a change of an inbound call, whose message keeps its status. */
  status: MessageStatus | null;
  previousStatus: MessageStatus | null;
  /** The provider's error code with a failure (or a retried transient one). */
  errorCode: string | null;
  /** A manual retry put the message back in the queue. */
  retry: boolean;
  voiceCallId: string | null;
  callStatus: VoiceCallStatus | null;
  previousCallStatus: VoiceCallStatus | null;
  durationSeconds: number | null;
  recordingUrl: string | null;
  /** The staff member on the call. */
  staffId: string | null;
}

export function messageStatusChangedChanges(p: Payload): MessageStatusChangedChanges {
  return {
    channel: oneOf(Channel, p, 'channel'),
    status: oneOf(MessageStatus, p, 'status'),
    previousStatus: oneOf(MessageStatus, p, 'previousStatus'),
    errorCode: string(p, 'errorCode'),
    retry: boolean(p, 'retry') ?? false,
    voiceCallId: string(p, 'voiceCallId'),
    callStatus: oneOf(VoiceCallStatus, p, 'callStatus'),
    previousCallStatus: oneOf(VoiceCallStatus, p, 'previousCallStatus'),
    durationSeconds: integer(p, 'durationSeconds'),
    recordingUrl: string(p, 'recordingUrl'),
    staffId: string(p, 'staffId'),
  };
}

export const CONVERSATION_CHANGES = { status: 'status', assignment: 'assignment', labels: 'labels', merge: 'merge' } as const;
export type ConversationChange = keyof typeof CONVERSATION_CHANGES;

/** conversation.updated: its status (open, snoozed, archived), pin or mute changed (`change` status), its assignee (`change` assignment) or its labels (`change` labels). */
export interface ConversationUpdatedChanges {
  change: ConversationChange | null;
  /** With change status: the status, snooze end, pin and mute after the change. */
  status: ConversationStatus | null;
  snoozedUntil: Date | null;
  pinned: boolean | null;
  muted: boolean | null;
  /** Why, when Omega changed it by itself: snooze_ended, auto_assigned. */
  reason: string | null;
  /** With change assignment: the new assignee, null when unassigned. */
  assigneeId: string | null;
  /** With change labels: the labels put on it, and taken off (empty otherwise). */
  addedLabelIds: string[];
  removedLabelIds: string[];
  /** With change merge: the merged client's conversation combined into this one (deleted). */
  mergedConversationId: string | null;
}

export function conversationUpdatedChanges(p: Payload): ConversationUpdatedChanges {
  return {
    change: oneOf(CONVERSATION_CHANGES, p, 'change'),
    status: oneOf(ConversationStatus, p, 'status'),
    snoozedUntil: time(p, 'snoozedUntil'),
    pinned: boolean(p, 'pinned'),
    muted: boolean(p, 'muted'),
    reason: string(p, 'reason'),
    assigneeId: string(p, 'assigneeId'),
    addedLabelIds: strings(p, 'addedLabelIds'),
    removedLabelIds: strings(p, 'removedLabelIds'),
    mergedConversationId: string(p, 'mergedConversationId'),
  };
}

/** conversation.read: messages were marked read or unread, for the business and/or for one staff member. */
export interface ConversationReadChanges {
  /** true: marked read; false: marked unread. */
  read: boolean | null;
  /** The business's unread count after it; null when only the staff member's changed. */
  unreadCount: number | null;
  /** The staff member whose own read position moved. */
  staffId: string | null;
  staffUnreadCount: number | null;
}

export function conversationReadChanges(p: Payload): ConversationReadChanges {
  return { read: boolean(p, 'read'), unreadCount: integer(p, 'unreadCount'), staffId: string(p, 'staffId'), staffUnreadCount: integer(p, 'staffUnreadCount') };
}

export const CONSENT_SIGNALS: Record<ConsentSignal, ConsentSignal> = { sms_opt_out: 'sms_opt_out', email_suppressed: 'email_suppressed' };

/** client.updated: a client's consent changed (STOP/START, a provider's opt-out, a bounce or complaint). */
export interface ClientUpdatedChanges {
  clientId: string | null;
  /** Which consent changed. */
  consent: ConsentSignal | null;
  /** After an SMS keyword: whether the client is now opted out of SMS. */
  smsOptOut: boolean | null;
  /** The keyword the client sent (STOP, START). */
  keyword: string | null;
  /** stop, start, bounced, complained, suppressed. */
  reason: string | null;
  /** `profile`: updateClient edited it (`fields` names what was given); null: a consent change. */
  change: string | null;
  fields: string[];
}

export function clientUpdatedChanges(p: Payload): ClientUpdatedChanges {
  const fields = Array.isArray(p['fields']) ? (p['fields'] as unknown[]).filter((f): f is string => typeof f === 'string') : [];
  return {
    clientId: string(p, 'clientId'),
    consent: oneOf(CONSENT_SIGNALS, p, 'consent'),
    smsOptOut: boolean(p, 'smsOptOut'),
    keyword: string(p, 'keyword'),
    reason: string(p, 'reason'),
    change: string(p, 'change'),
    fields,
  };
}

/** client.merged: a client was merged into another (mergeClients). */
export interface ClientMergedChanges {
  /** The client kept. */
  clientId: string | null;
  /** The client merged into it (now marked merged). */
  mergedClientId: string | null;
  /** Its conversations moved to the kept client as they were. */
  movedConversationIds: string[];
  /** Its conversations combined with the kept client's at the same location: fromId (deleted) into intoId. */
  combinedConversations: { fromId: string; intoId: string }[];
}

export function clientMergedChanges(p: Payload): ClientMergedChanges {
  const moved = Array.isArray(p['movedConversationIds']) ? (p['movedConversationIds'] as unknown[]).filter((f): f is string => typeof f === 'string') : [];
  const combined = Array.isArray(p['combinedConversations'])
    ? (p['combinedConversations'] as unknown[]).flatMap((c) =>
        c && typeof c === 'object' && typeof (c as Record<string, unknown>)['fromId'] === 'string' && typeof (c as Record<string, unknown>)['intoId'] === 'string'
          ? [{ fromId: (c as Record<string, string>)['fromId']!, intoId: (c as Record<string, string>)['intoId']! }]
          : [],
      )
    : [];
  return { clientId: string(p, 'clientId'), mergedClientId: string(p, 'mergedClientId'), movedConversationIds: moved, combinedConversations: combined };
}

export const WEBHOOK_DISABLED_REASONS = { gone: 'gone', failing: 'failing' } as const;
export type WebhookDisabledReason = keyof typeof WEBHOOK_DISABLED_REASONS;

/** webhook_endpoint.disabled: an outbound webhook endpoint was disabled. */
export interface WebhookEndpointDisabledChanges {
  endpointId: string | null;
  /** gone: it answered 410 Gone; failing: every delivery failed for too long. */
  reason: WebhookDisabledReason | null;
  /** Since when its deliveries had been failing. */
  failingSince: Date | null;
}

export function webhookEndpointDisabledChanges(p: Payload): WebhookEndpointDisabledChanges {
  return { endpointId: string(p, 'endpointId'), reason: oneOf(WEBHOOK_DISABLED_REASONS, p, 'reason'), failingSince: time(p, 'failingSince') };
}

/** staff.updated: a staff member's availability changed. */
export interface StaffUpdatedChanges {
  staffId: string | null;
  /** online: may be auto-assigned conversations; away: is not. */
  availability: StaffAvailability | null;
  previousAvailability: StaffAvailability | null;
}

export function staffUpdatedChanges(p: Payload): StaffUpdatedChanges {
  return { staffId: string(p, 'staffId'), availability: oneOf(StaffAvailability, p, 'availability'), previousAvailability: oneOf(StaffAvailability, p, 'previousAvailability') };
}

/** location.updated: a location's auto-assignment changed. */
export interface LocationUpdatedChanges {
  locationId: string | null;
  autoAssign: boolean | null;
  autoAssignCapacity: number | null;
}

export function locationUpdatedChanges(p: Payload): LocationUpdatedChanges {
  return { locationId: string(p, 'locationId'), autoAssign: boolean(p, 'autoAssign'), autoAssignCapacity: integer(p, 'autoAssignCapacity') };
}

export const LABEL_ACTIONS = { created: 'created', updated: 'updated', deleted: 'deleted' } as const;
export type LabelChangeAction = keyof typeof LABEL_ACTIONS;

/** label.changed: a label of the business was created, changed or deleted. */
export interface LabelChangedChanges {
  action: LabelChangeAction | null;
  labelId: string | null;
  /** The label's name, colour and description after the change (before it, when deleted). */
  name: string | null;
  color: string | null;
  description: string | null;
  /** With action deleted: how many conversations it was taken off (each has its conversation.updated event). */
  conversations: number | null;
}

export function labelChangedChanges(p: Payload): LabelChangedChanges {
  return {
    action: oneOf(LABEL_ACTIONS, p, 'action'),
    labelId: string(p, 'labelId'),
    name: string(p, 'name'),
    color: string(p, 'color'),
    description: string(p, 'description'),
    conversations: integer(p, 'conversations'),
  };
}

/** saved_reply.created, saved_reply.updated, saved_reply.deleted: a saved reply (template) changed. */
export interface SavedReplyChanges {
  savedReplyId: string | null;
  /** Its name, shortcut, channel and location after the change (before it, for a deletion). */
  name: string | null;
  shortcut: string | null;
  channel: string | null;
  locationId: string | null;
  /** The staff member who changed it (a session's); null for an API key. */
  staffId: string | null;
  /** saved_reply.updated: the fields that changed (name, shortcut, channel, subject, body, location). */
  changed: string[];
}

export function savedReplyChanges(p: Payload): SavedReplyChanges {
  const changed = Array.isArray(p['changed']) ? p['changed'].filter((c): c is string => typeof c === 'string') : [];
  return {
    savedReplyId: string(p, 'savedReplyId'),
    name: string(p, 'name'),
    shortcut: string(p, 'shortcut'),
    channel: string(p, 'channel'),
    locationId: string(p, 'locationId'),
    staffId: string(p, 'staffId'),
    changed,
  };
}

/** The counts campaign.updated and campaign.progress carry (src/domain/campaigns/campaignEvents.ts). */
export const CAMPAIGN_COUNT_KEYS = ['recipients', 'pending', 'queued', 'sending', 'sent', 'delivered', 'failed', 'canceled', 'optedOut', 'skipped', 'replied'] as const;
export type CampaignEventCounts = Record<(typeof CAMPAIGN_COUNT_KEYS)[number], number | null>;

/** campaign.updated (a campaign's status changed) and campaign.progress (its counts moved). */
export interface CampaignChanges {
  campaignId: string | null;
  /** campaign.updated only: the campaign's name. */
  name: string | null;
  status: string | null;
  /** campaign.updated only: the status before the change. */
  previousStatus: string | null;
  counts: CampaignEventCounts;
}

export function campaignChanges(p: Payload): CampaignChanges {
  const raw = (p['counts'] && typeof p['counts'] === 'object' ? p['counts'] : {}) as Payload;
  return {
    campaignId: string(p, 'campaignId'),
    name: string(p, 'name'),
    status: string(p, 'status'),
    previousStatus: string(p, 'previousStatus'),
    counts: Object.fromEntries(CAMPAIGN_COUNT_KEYS.map((k) => [k, integer(raw, k)])) as CampaignEventCounts,
  };
}

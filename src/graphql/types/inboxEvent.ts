import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import type { Client, Conversation, Message } from '../../generated/prisma/client.js';
import type { InboxEventObjectKind } from '../../domain/inbox/inboxEventObjects.js';
import {
  CONSENT_SIGNALS,
  CONVERSATION_CHANGES,
  LABEL_ACTIONS,
  WEBHOOK_DISABLED_REASONS,
  clientMergedChanges,
  clientUpdatedChanges,
  labelChangedChanges,
  conversationReadChanges,
  conversationUpdatedChanges,
  locationUpdatedChanges,
  messageCreatedChanges,
  messageStatusChangedChanges,
  staffUpdatedChanges,
  webhookEndpointDisabledChanges,
  savedReplyChanges,
  campaignChanges,
} from '../../domain/inbox/inboxEventPayloads.js';
import { INBOX_EVENT_TYPES, isInboxEventType, type InboxEventType } from '../../domain/inbox/inboxEventTypes.js';
import { currentInboxCursor, inboxEventCursor, streamInboxEvents, type StreamedInboxEvent } from '../../domain/inbox/streamInboxEvents.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { ClientRef } from './client.js';
import { ConversationRef } from './conversation.js';
import { ChannelEnum, ConversationStatusEnum, DirectionEnum, MessageStatusEnum, StaffAvailabilityEnum, VoiceCallStatusEnum } from './enums.js';
import { MessageRef } from './message.js';
import { SavedReplyChannelEnum } from './savedReply.js';
import { CampaignCountsRef, CampaignStatusEnum } from './campaign.js';

/** Each event type's GraphQL object type, kind and description (one per type of INBOX_EVENT_TYPES). */
const KINDS: Record<InboxEventType, { typeName: string; kind: string; description: string }> = {
  'message.created': { typeName: 'MessageCreatedEvent', kind: 'MESSAGE_CREATED', description: 'message.created: a message, note (with its mentions) or call was recorded.' },
  'message.status_changed': { typeName: 'MessageStatusChangedEvent', kind: 'MESSAGE_STATUS_CHANGED', description: "message.status_changed: a message's delivery status changed, or a call's status." },
  'conversation.updated': {
    typeName: 'ConversationUpdatedEvent',
    kind: 'CONVERSATION_UPDATED',
    description: "conversation.updated: a conversation's status (open, snoozed, archived), pin, mute, assignee or labels changed.",
  },
  'conversation.read': {
    typeName: 'ConversationReadEvent',
    kind: 'CONVERSATION_READ',
    description: 'conversation.read: messages were marked read or unread, for the business or for one staff member.',
  },
  'client.updated': {
    typeName: 'ClientUpdatedEvent',
    kind: 'CLIENT_UPDATED',
    description: "client.updated: a client's consent changed (STOP/START, a provider's opt-out, a bounce or complaint), or its profile was edited (change: profile).",
  },
  'webhook_endpoint.disabled': {
    typeName: 'WebhookEndpointDisabledEvent',
    kind: 'WEBHOOK_ENDPOINT_DISABLED',
    description: 'webhook_endpoint.disabled: an outbound webhook endpoint was disabled (410 Gone, or failing too long).',
  },
  'staff.updated': { typeName: 'StaffUpdatedEvent', kind: 'STAFF_UPDATED', description: "staff.updated: a staff member's availability (online, away) changed." },
  'location.updated': { typeName: 'LocationUpdatedEvent', kind: 'LOCATION_UPDATED', description: "location.updated: a location's auto-assignment (on or off, capacity) changed." },
  'label.changed': {
    typeName: 'LabelChangedEvent',
    kind: 'LABEL_CHANGED',
    description: 'label.changed: a label of the business was created, changed (name, colour, description) or deleted.',
  },
  'saved_reply.created': { typeName: 'SavedReplyCreatedEvent', kind: 'SAVED_REPLY_CREATED', description: 'saved_reply.created: a saved reply (template) was created.' },
  'saved_reply.updated': { typeName: 'SavedReplyUpdatedEvent', kind: 'SAVED_REPLY_UPDATED', description: 'saved_reply.updated: a saved reply (template) was changed.' },
  'saved_reply.deleted': { typeName: 'SavedReplyDeletedEvent', kind: 'SAVED_REPLY_DELETED', description: 'saved_reply.deleted: a saved reply (template) was deleted.' },
  'client.merged': { typeName: 'ClientMergedEvent', kind: 'CLIENT_MERGED', description: 'client.merged: a client was merged into another (mergeClients); clientId is the one kept.' },
  'campaign.updated': {
    typeName: 'CampaignUpdatedEvent',
    kind: 'CAMPAIGN_UPDATED',
    description: "campaign.updated: a campaign's status changed (scheduled, sending, paused, completed, canceled), with its counts.",
  },
  'campaign.progress': { typeName: 'CampaignProgressEvent', kind: 'CAMPAIGN_PROGRESS', description: "campaign.progress: a sending campaign's counts moved (at most once a second per campaign)." },
};

const InboxEventKindEnum = builder.enumType('InboxEventKind', {
  description: 'The type of an inbox event, as an enum (`type` holds the same with dots: MESSAGE_STATUS_CHANGED is message.status_changed).',
  values: Object.fromEntries(INBOX_EVENT_TYPES.map((type) => [KINDS[type].kind, { value: type, description: KINDS[type].description }])) as Record<
    string,
    { value: InboxEventType; description: string }
  >,
});

const ConversationChangeEnum = builder.enumType('ConversationChange', {
  description: 'What a conversation.updated event changed: status (with snooze, pin and mute), assignment or labels.',
  values: Object.keys(CONVERSATION_CHANGES) as (keyof typeof CONVERSATION_CHANGES)[],
});
const ConsentChangeEnum = builder.enumType('ConsentChange', { description: 'Which consent of a client changed.', values: Object.keys(CONSENT_SIGNALS) as (keyof typeof CONSENT_SIGNALS)[] });
const WebhookDisabledReasonEnum = builder.enumType('WebhookDisabledReason', {
  description: 'gone: the endpoint answered 410 Gone; failing: every delivery to it failed for too long.',
  values: Object.keys(WEBHOOK_DISABLED_REASONS) as (keyof typeof WEBHOOK_DISABLED_REASONS)[],
});

/**
 * The current object of one kind an event names, from the objects of the page of events it was read
 * with (batched: one read per page and per selection, whatever the number of events). The rows are
 * read with the selection planned for this field, so relations selected under it come with them.
 */
async function currentObject(event: StreamedInboxEvent, kind: InboxEventObjectKind, id: string | null, ctx: GraphQLContext, info: GraphQLResolveInfo, typeName: 'Message' | 'Conversation' | 'Client') {
  if (!id) return null;
  const objects = await event.batch.select(kind, queryFromInfo({ context: ctx, info, typeName }));
  return objects.get(id) ?? null;
}

export const InboxEventRef = builder.interfaceRef<StreamedInboxEvent>('InboxEvent').implement({
  description:
    'One entry of a business inbox event log; each type of event is an object type with its own fields (select them with `... on MessageCreatedEvent { ... }`). Pass the last `cursor` you received as `after` to resume.',
  resolveType: (event) => {
    if (!isInboxEventType(event.type)) throw new Error(`internal error: inbox event ${event.id} has the unknown type ${JSON.stringify(event.type)}`);
    return KINDS[event.type].typeName;
  },
  fields: (t) => ({
    cursor: t.string({ resolve: (e) => inboxEventCursor(e) }),
    type: t.exposeString('type', { description: INBOX_EVENT_TYPES.join(', ') }),
    kind: t.field({ type: InboxEventKindEnum, resolve: (e) => e.type as InboxEventType }),
    businessId: t.string({ resolve: (e) => e.business_id }),
    conversationId: t.string({ nullable: true, resolve: (e) => e.conversation_id }),
    messageId: t.string({ nullable: true, resolve: (e) => e.message_id }),
    payload: t.field({ type: 'JSON', deprecationReason: 'use the typed fields', description: 'What the event recorded, untyped.', resolve: (e) => e.payload }),
    createdAt: t.field({ type: 'DateTime', resolve: (e) => e.created_at }),
    conversation: t.field({
      type: ConversationRef,
      nullable: true,
      description: 'The conversation the event is about, as it is now (null when it is about none, or it was deleted). Read for the whole burst of events at once.',
      resolve: async (e, _args, ctx, info) => (await currentObject(e, 'conversation', e.conversation_id, ctx, info, 'Conversation')) as Conversation | null,
    }),
    message: t.field({
      type: MessageRef,
      nullable: true,
      description: 'The message the event is about, as it is now (null when it is about none, or it was deleted). Read for the whole burst of events at once.',
      resolve: async (e, _args, ctx, info) => (await currentObject(e, 'message', e.message_id, ctx, info, 'Message')) as Message | null,
    }),
  }),
});

builder.objectRef<StreamedInboxEvent>(KINDS['message.created'].typeName).implement({
  description: KINDS['message.created'].description,
  interfaces: [InboxEventRef],
  fields: (t) => ({
    channel: t.field({ type: ChannelEnum, nullable: true, resolve: (e) => messageCreatedChanges(e.payload).channel }),
    direction: t.field({ type: DirectionEnum, nullable: true, resolve: (e) => messageCreatedChanges(e.payload).direction }),
    status: t.field({ type: MessageStatusEnum, nullable: true, description: 'The status the message was recorded with.', resolve: (e) => messageCreatedChanges(e.payload).status }),
    conversationStatus: t.field({
      type: ConversationStatusEnum,
      nullable: true,
      description: "The conversation's status after the message.",
      resolve: (e) => messageCreatedChanges(e.payload).conversationStatus,
    }),
    reopened: t.boolean({ description: 'The message reopened its conversation (archived or snoozed).', resolve: (e) => messageCreatedChanges(e.payload).reopened }),
  }),
});

builder.objectRef<StreamedInboxEvent>(KINDS['message.status_changed'].typeName).implement({
  description: KINDS['message.status_changed'].description,
  interfaces: [InboxEventRef],
  fields: (t) => ({
    channel: t.field({ type: ChannelEnum, nullable: true, resolve: (e) => messageStatusChangedChanges(e.payload).channel }),
    status: t.field({
      type: MessageStatusEnum,
      nullable: true,
      description: "The new status; null for a change of an inbound call (its message's status stays).",
      resolve: (e) => messageStatusChangedChanges(e.payload).status,
    }),
    previousStatus: t.field({ type: MessageStatusEnum, nullable: true, resolve: (e) => messageStatusChangedChanges(e.payload).previousStatus }),
    errorCode: t.string({ nullable: true, description: "The provider's error code with a failure.", resolve: (e) => messageStatusChangedChanges(e.payload).errorCode }),
    retry: t.boolean({ description: 'A retry put the message back in the queue.', resolve: (e) => messageStatusChangedChanges(e.payload).retry }),
    voiceCallId: t.string({ nullable: true, description: 'Calls: the call whose status changed.', resolve: (e) => messageStatusChangedChanges(e.payload).voiceCallId }),
    callStatus: t.field({ type: VoiceCallStatusEnum, nullable: true, resolve: (e) => messageStatusChangedChanges(e.payload).callStatus }),
    previousCallStatus: t.field({ type: VoiceCallStatusEnum, nullable: true, resolve: (e) => messageStatusChangedChanges(e.payload).previousCallStatus }),
    durationSeconds: t.int({ nullable: true, resolve: (e) => messageStatusChangedChanges(e.payload).durationSeconds }),
    recordingUrl: t.string({ nullable: true, resolve: (e) => messageStatusChangedChanges(e.payload).recordingUrl }),
    staffId: t.string({ nullable: true, description: 'Calls: the staff member on the call.', resolve: (e) => messageStatusChangedChanges(e.payload).staffId }),
  }),
});

builder.objectRef<StreamedInboxEvent>(KINDS['conversation.updated'].typeName).implement({
  description: KINDS['conversation.updated'].description,
  interfaces: [InboxEventRef],
  fields: (t) => ({
    change: t.field({ type: ConversationChangeEnum, nullable: true, resolve: (e) => conversationUpdatedChanges(e.payload).change }),
    // Not `status`: MessageCreatedEvent.status is a MessageStatus, and one selection may ask for both.
    conversationStatus: t.field({
      type: ConversationStatusEnum,
      nullable: true,
      description: 'With change status: the status after it.',
      resolve: (e) => conversationUpdatedChanges(e.payload).status,
    }),
    snoozedUntil: t.field({ type: 'DateTime', nullable: true, resolve: (e) => conversationUpdatedChanges(e.payload).snoozedUntil }),
    pinned: t.boolean({ nullable: true, resolve: (e) => conversationUpdatedChanges(e.payload).pinned }),
    muted: t.boolean({ nullable: true, resolve: (e) => conversationUpdatedChanges(e.payload).muted }),
    reason: t.string({
      nullable: true,
      description: 'Why, when Omega changed it by itself: snooze_ended, auto_assigned.',
      resolve: (e) => conversationUpdatedChanges(e.payload).reason,
    }),
    assigneeId: t.string({ nullable: true, description: 'With change assignment: the new assignee (null: unassigned).', resolve: (e) => conversationUpdatedChanges(e.payload).assigneeId }),
    addedLabelIds: t.stringList({ description: 'With change labels: the labels put on it.', resolve: (e) => conversationUpdatedChanges(e.payload).addedLabelIds }),
    removedLabelIds: t.stringList({ description: 'With change labels: the labels taken off it.', resolve: (e) => conversationUpdatedChanges(e.payload).removedLabelIds }),
    mergedConversationId: t.string({
      nullable: true,
      description: "With change merge: the merged client's conversation combined into this one (deleted, its messages moved here).",
      resolve: (e) => conversationUpdatedChanges(e.payload).mergedConversationId,
    }),
  }),
});

builder.objectRef<StreamedInboxEvent>(KINDS['conversation.read'].typeName).implement({
  description: KINDS['conversation.read'].description,
  interfaces: [InboxEventRef],
  fields: (t) => ({
    read: t.boolean({ nullable: true, description: 'true: marked read; false: marked unread.', resolve: (e) => conversationReadChanges(e.payload).read }),
    unreadCount: t.int({
      nullable: true,
      description: "The business's unread count after it (null when only a staff member's changed).",
      resolve: (e) => conversationReadChanges(e.payload).unreadCount,
    }),
    staffId: t.string({ nullable: true, description: 'The staff member whose own read position moved.', resolve: (e) => conversationReadChanges(e.payload).staffId }),
    staffUnreadCount: t.int({ nullable: true, resolve: (e) => conversationReadChanges(e.payload).staffUnreadCount }),
  }),
});

builder.objectRef<StreamedInboxEvent>(KINDS['client.updated'].typeName).implement({
  description: KINDS['client.updated'].description,
  interfaces: [InboxEventRef],
  fields: (t) => ({
    clientId: t.string({ nullable: true, resolve: (e) => clientUpdatedChanges(e.payload).clientId }),
    client: t.field({
      type: ClientRef,
      nullable: true,
      description: 'The client, as it is now (null if it was deleted). Read for the whole burst of events at once.',
      resolve: async (e, _args, ctx, info) => (await currentObject(e, 'client', clientUpdatedChanges(e.payload).clientId, ctx, info, 'Client')) as Client | null,
    }),
    consent: t.field({ type: ConsentChangeEnum, nullable: true, resolve: (e) => clientUpdatedChanges(e.payload).consent }),
    smsOptOut: t.boolean({ nullable: true, description: 'After an SMS keyword: whether the client is now opted out of SMS.', resolve: (e) => clientUpdatedChanges(e.payload).smsOptOut }),
    keyword: t.string({ nullable: true, description: 'The keyword the client sent (STOP, START).', resolve: (e) => clientUpdatedChanges(e.payload).keyword }),
    reason: t.string({ nullable: true, description: 'stop, start, bounced, complained, suppressed.', resolve: (e) => clientUpdatedChanges(e.payload).reason }),
    change: t.string({ nullable: true, description: 'profile: updateClient edited it; null: a consent change.', resolve: (e) => clientUpdatedChanges(e.payload).change }),
    fields: t.stringList({ description: 'With change profile: the fields given (firstName, phones, ...).', resolve: (e) => clientUpdatedChanges(e.payload).fields }),
  }),
});

const CombinedConversationRef = builder.objectRef<{ fromId: string; intoId: string }>('CombinedConversation').implement({
  description: "A merged client's conversation combined into the kept client's at the same location.",
  fields: (t) => ({
    fromId: t.exposeString('fromId', { description: 'The conversation combined (deleted; its messages moved).' }),
    intoId: t.exposeString('intoId', { description: 'The conversation that holds them now.' }),
  }),
});

builder.objectRef<StreamedInboxEvent>(KINDS['client.merged'].typeName).implement({
  description: KINDS['client.merged'].description,
  interfaces: [InboxEventRef],
  fields: (t) => ({
    clientId: t.string({ nullable: true, description: 'The client kept.', resolve: (e) => clientMergedChanges(e.payload).clientId }),
    client: t.field({
      type: ClientRef,
      nullable: true,
      description: 'The kept client, as it is now.',
      resolve: async (e, _args, ctx, info) => (await currentObject(e, 'client', clientMergedChanges(e.payload).clientId, ctx, info, 'Client')) as Client | null,
    }),
    mergedClientId: t.string({ nullable: true, description: 'The client merged into it (now marked merged).', resolve: (e) => clientMergedChanges(e.payload).mergedClientId }),
    movedConversationIds: t.stringList({ description: 'Its conversations moved to the kept client as they were.', resolve: (e) => clientMergedChanges(e.payload).movedConversationIds }),
    combinedConversations: t.field({ type: [CombinedConversationRef], resolve: (e) => clientMergedChanges(e.payload).combinedConversations }),
  }),
});

builder.objectRef<StreamedInboxEvent>(KINDS['webhook_endpoint.disabled'].typeName).implement({
  description: KINDS['webhook_endpoint.disabled'].description,
  interfaces: [InboxEventRef],
  fields: (t) => ({
    endpointId: t.string({ nullable: true, resolve: (e) => webhookEndpointDisabledChanges(e.payload).endpointId }),
    // Not `reason`: that is a String on the other event types, and one selection may ask for both.
    disabledReason: t.field({ type: WebhookDisabledReasonEnum, nullable: true, resolve: (e) => webhookEndpointDisabledChanges(e.payload).reason }),
    failingSince: t.field({ type: 'DateTime', nullable: true, description: 'Since when its deliveries had been failing.', resolve: (e) => webhookEndpointDisabledChanges(e.payload).failingSince }),
  }),
});

builder.objectRef<StreamedInboxEvent>(KINDS['staff.updated'].typeName).implement({
  description: KINDS['staff.updated'].description,
  interfaces: [InboxEventRef],
  fields: (t) => ({
    staffId: t.string({ nullable: true, resolve: (e) => staffUpdatedChanges(e.payload).staffId }),
    availability: t.field({ type: StaffAvailabilityEnum, nullable: true, resolve: (e) => staffUpdatedChanges(e.payload).availability }),
    previousAvailability: t.field({ type: StaffAvailabilityEnum, nullable: true, resolve: (e) => staffUpdatedChanges(e.payload).previousAvailability }),
  }),
});

builder.objectRef<StreamedInboxEvent>(KINDS['location.updated'].typeName).implement({
  description: KINDS['location.updated'].description,
  interfaces: [InboxEventRef],
  fields: (t) => ({
    locationId: t.string({ nullable: true, resolve: (e) => locationUpdatedChanges(e.payload).locationId }),
    autoAssign: t.boolean({ nullable: true, resolve: (e) => locationUpdatedChanges(e.payload).autoAssign }),
    autoAssignCapacity: t.int({ nullable: true, resolve: (e) => locationUpdatedChanges(e.payload).autoAssignCapacity }),
  }),
});

const LabelActionEnum = builder.enumType('LabelAction', { description: 'What happened to a label.', values: Object.keys(LABEL_ACTIONS) as (keyof typeof LABEL_ACTIONS)[] });

builder.objectRef<StreamedInboxEvent>(KINDS['label.changed'].typeName).implement({
  description: KINDS['label.changed'].description,
  interfaces: [InboxEventRef],
  fields: (t) => ({
    labelId: t.string({ nullable: true, resolve: (e) => labelChangedChanges(e.payload).labelId }),
    labelAction: t.field({ type: LabelActionEnum, nullable: true, resolve: (e) => labelChangedChanges(e.payload).action }),
    labelName: t.string({ nullable: true, description: 'The name after the change (before it, when deleted).', resolve: (e) => labelChangedChanges(e.payload).name }),
    labelColor: t.string({ nullable: true, description: '#rrggbb', resolve: (e) => labelChangedChanges(e.payload).color }),
    labelDescription: t.string({ nullable: true, resolve: (e) => labelChangedChanges(e.payload).description }),
    labelConversations: t.int({
      nullable: true,
      description: 'With action deleted: how many conversations it was taken off (each has its conversation.updated event).',
      resolve: (e) => labelChangedChanges(e.payload).conversations,
    }),
  }),
});

for (const type of ['saved_reply.created', 'saved_reply.updated', 'saved_reply.deleted'] as const) {
  builder.objectRef<StreamedInboxEvent>(KINDS[type].typeName).implement({
    description: KINDS[type].description,
    interfaces: [InboxEventRef],
    fields: (t) => ({
      savedReplyId: t.string({ nullable: true, resolve: (e) => savedReplyChanges(e.payload).savedReplyId }),
      name: t.string({ nullable: true, description: 'Its name after the change (before it, for a deletion).', resolve: (e) => savedReplyChanges(e.payload).name }),
      shortcut: t.string({ nullable: true, resolve: (e) => savedReplyChanges(e.payload).shortcut }),
      // Not `channel`: that is a Channel on the message events, and one selection may ask for both.
      savedReplyChannel: t.field({ type: SavedReplyChannelEnum, nullable: true, resolve: (e) => savedReplyChanges(e.payload).channel as 'sms' | 'email' | 'any' | null }),
      locationId: t.string({ nullable: true, description: 'null: every location.', resolve: (e) => savedReplyChanges(e.payload).locationId }),
      staffId: t.string({ nullable: true, description: 'The staff member who changed it (a session); null for an API key.', resolve: (e) => savedReplyChanges(e.payload).staffId }),
      ...(type === 'saved_reply.updated'
        ? { changedFields: t.stringList({ description: 'The fields that changed: name, shortcut, channel, subject, body, location.', resolve: (e) => savedReplyChanges(e.payload).changed }) }
        : {}),
    }),
  });
}

for (const type of ['campaign.updated', 'campaign.progress'] as const) {
  builder.objectRef<StreamedInboxEvent>(KINDS[type].typeName).implement({
    description: KINDS[type].description,
    interfaces: [InboxEventRef],
    fields: (t) => ({
      campaignId: t.string({ nullable: true, resolve: (e) => campaignChanges(e.payload).campaignId }),
      campaignStatus: t.field({ type: CampaignStatusEnum, nullable: true, resolve: (e) => campaignChanges(e.payload).status as never }),
      campaignCounts: t.field({ type: CampaignCountsRef, description: 'The counts when the event was written.', resolve: (e) => campaignChanges(e.payload).counts }),
      ...(type === 'campaign.updated'
        ? {
            campaignName: t.string({ nullable: true, resolve: (e) => campaignChanges(e.payload).name }),
            previousCampaignStatus: t.field({ type: CampaignStatusEnum, nullable: true, resolve: (e) => campaignChanges(e.payload).previousStatus as never }),
          }
        : {}),
    }),
  });
}

builder.subscriptionType({});

builder.subscriptionField('inboxEvents', (t) =>
  t.field({
    type: InboxEventRef,
    description:
      'Inbox events of a business: every event after `after` (if given), then live ones, in order, with no gap and no duplicate. A cursor older than the log keeps (30 days) is refused with CURSOR_EXPIRED: load the state again and take a new cursor (`inboxEventCursor`).',
    args: {
      businessId: t.arg.string({ required: true }),
      after: t.arg.string({ required: false, description: 'Cursor of the last event received.' }),
    },
    authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
    subscribe: (_root, args, ctx) => streamInboxEvents(ctx.deps, { businessId: args.businessId, after: args.after ?? null }),
    resolve: (event) => event,
  }),
);

builder.queryField('inboxEventCursor', (t) =>
  t.string({
    description:
      'The current position of the inbox event log: ask for it first, load the first page, then subscribe with after: this cursor; nothing is missed, an event may repeat (one committed while the page loaded).',
    args: { businessId: t.arg.string({ required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
    resolve: (_root, _args, ctx) => currentInboxCursor(ctx.deps),
  }),
);

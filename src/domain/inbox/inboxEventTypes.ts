/**
 * Every type of event the inbox event log holds, in the order documented (README "Events").
 * - message.created: a message, note (with its mentions) or call was recorded;
 * - message.status_changed: a message's delivery status, or a call's status, changed;
 * - conversation.updated: status (open, snoozed, archived), assignee, pin, mute or labels changed;
 * - conversation.read: messages were marked read (for the business, or for one staff member);
 * - client.updated: a client's consent changed (STOP/START, a bounce or complaint), or its profile was edited (`change: profile`);
 * - webhook_endpoint.disabled: an outbound webhook endpoint was disabled (410 Gone, or failing too long);
 * - staff.updated: a staff member's availability (online, away) changed;
 * - location.updated: a location's auto-assignment (on or off, capacity) changed;
 * - label.changed: a label of the business was created, changed (name, colour, description) or deleted;
 * - saved_reply.created / saved_reply.updated / saved_reply.deleted: a saved reply (template) changed;
 * - client.merged: a client was merged into another (mergeClients);
 * - campaign.updated: a campaign's status changed (started, scheduled, paused, resumed, canceled, completed), with its counts;
 * - campaign.progress: a sending campaign's counts moved (at most once a second per campaign).
 */
export const INBOX_EVENT_TYPES = [
  'message.created',
  'message.status_changed',
  'conversation.updated',
  'conversation.read',
  'client.updated',
  'webhook_endpoint.disabled',
  'staff.updated',
  'location.updated',
  'label.changed',
  'saved_reply.created',
  'saved_reply.updated',
  'saved_reply.deleted',
  'client.merged',
  'campaign.updated',
  'campaign.progress',
] as const;

export type InboxEventType = (typeof INBOX_EVENT_TYPES)[number];

export function isInboxEventType(type: string): type is InboxEventType {
  return (INBOX_EVENT_TYPES as readonly string[]).includes(type);
}

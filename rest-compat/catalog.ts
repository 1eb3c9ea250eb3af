// The original service's endpoint index (shared/reference/omega-api-index.txt) with the paths fixed by
// our REST contract, and Omega's own routes beyond it (OWN_OPERATIONS: the contract's "Routes beyond
// the index"). Every route takes its OpenAPI summary and tag from here (see `describe`), and a test
// compares the routes the app registers with these lists, title by title.

export type Group = 'health' | 'sms' | 'email' | 'businesses' | 'business-clients' | 'business-staffs' | 'voice-calls' | 'messages' | 'twilio' | 'session' | 'authentication' | 'business';

/** Groups of Omega's own routes, beyond the index. */
export type OwnGroup = 'health' | 'webhooks' | 'events' | 'assignment' | 'labels' | 'inbox' | 'saved-replies' | 'reports' | 'client-edits' | 'senders' | 'campaigns' | 'sign-in';

export interface Operation<G extends string = Group> {
  group: G;
  title: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify path syntax. */
  path: string;
}

export const OPERATIONS = [
  { group: 'health', title: 'Get Health', method: 'GET', path: '/health' },
  { group: 'health', title: 'Check Db Connection', method: 'GET', path: '/health/db' },
  { group: 'sms', title: 'Queue SMS for sending and database recording', method: 'POST', path: '/sms/send' },
  { group: 'sms', title: 'Record SMS message in database without sending', method: 'POST', path: '/sms/record' },
  { group: 'sms', title: 'Update SMS delivery status', method: 'POST', path: '/sms/status' },
  { group: 'email', title: 'Queue email for sending and database recording', method: 'POST', path: '/email/send' },
  { group: 'email', title: 'Record email message in database without sending', method: 'POST', path: '/email/record' },
  { group: 'email', title: 'Update email delivery status', method: 'POST', path: '/email/status' },
  { group: 'email', title: 'Handle external email provider webhooks', method: 'POST', path: '/email/webhooks/:provider' },
  { group: 'businesses', title: 'Get paginated list of client conversations for a business', method: 'GET', path: '/businesses/:business_id/conversations' },
  { group: 'businesses', title: 'Add internal note to a client conversation', method: 'POST', path: '/businesses/:business_id/conversations/:conversation_id/notes' },
  { group: 'businesses', title: 'Get list of business locations', method: 'GET', path: '/businesses/:business_id/locations' },
  { group: 'businesses', title: 'Create or retrieve client conversation', method: 'POST', path: '/businesses/:business_id/conversations' },
  { group: 'businesses', title: 'Get available conversation filters', method: 'GET', path: '/businesses/:business_id/conversations/filters' },
  { group: 'businesses', title: 'Get paginated conversation messages with filters', method: 'GET', path: '/businesses/:business_id/conversations/:conversation_id/messages' },
  { group: 'businesses', title: 'Assign a client conversation to a staff member', method: 'POST', path: '/businesses/:business_id/conversations/:conversation_id/assign' },
  { group: 'businesses', title: 'Update client conversation status', method: 'POST', path: '/businesses/:business_id/conversations/:conversation_id/status' },
  { group: 'businesses', title: 'Update read status of messages using filters', method: 'POST', path: '/businesses/:business_id/messages/read-status' },
  { group: 'business-clients', title: 'Get detailed client profile and conversation information', method: 'GET', path: '/business-clients/:business_id/clients/:client_id' },
  { group: 'business-clients', title: 'Get paginated list of clients for a business', method: 'GET', path: '/business-clients/:business_id/clients' },
  { group: 'business-staffs', title: 'Get detailed profile of a specific staff member', method: 'GET', path: '/business-staffs/:business_id/staffs/:staff_id' },
  { group: 'business-staffs', title: 'Get paginated list of staff members for a business', method: 'GET', path: '/business-staffs/:business_id/staffs' },
  { group: 'voice-calls', title: 'Get Token', method: 'GET', path: '/voice-calls/token' },
  { group: 'voice-calls', title: 'Handle Twiml Call', method: 'POST', path: '/voice-calls/twiml' },
  { group: 'messages', title: 'Retry Processing of Failed Messages', method: 'POST', path: '/messages/:business_id/messages/:message_id/retry' },
  { group: 'messages', title: 'Retry Processing of Failed Messages', method: 'POST', path: '/messages/:business_id/messages/retry' },
  { group: 'messages', title: 'Get messages by request ID', method: 'GET', path: '/messages/:business_id/requests/:request_id' },
  { group: 'messages', title: 'Get messages by request ID', method: 'GET', path: '/messages/requests/:request_id' },
  { group: 'messages', title: 'Search messages within a specific conversation', method: 'GET', path: '/messages/:business_id/conversations/:conversation_id/search' },
  { group: 'messages', title: 'Search messages within a specific conversation', method: 'GET', path: '/messages/:business_id/search' },
  { group: 'messages', title: 'Process and record messages from any supported channel', method: 'POST', path: '/messages/:business_id/process' },
  { group: 'twilio', title: 'Process incoming SMS replies via Twilio webhook', method: 'POST', path: '/twilio/sms/incoming' },
  { group: 'twilio', title: 'Process SMS delivery status updates from Twilio', method: 'POST', path: '/twilio/sms/status' },
  { group: 'twilio', title: 'Update voice call status in DB', method: 'POST', path: '/twilio/voice/status' },
  { group: 'session', title: 'Expire Session', method: 'POST', path: '/session/expire' },
  { group: 'authentication', title: 'Generate Auth Token', method: 'POST', path: '/auth/token' },
  { group: 'business', title: 'Onboard a business', method: 'POST', path: '/business/onboard' },
  { group: 'business', title: 'Get business onboarding status', method: 'GET', path: '/business/:business_id/onboarding-status' },
] as const satisfies readonly Operation[];

/** Omega's own routes (rest-contract.md, "Routes beyond the index"), with titles of ours. */
export const OWN_OPERATIONS = [
  { group: 'webhooks', title: 'List outbound webhook endpoints', method: 'GET', path: '/businesses/:business_id/webhooks' },
  { group: 'webhooks', title: 'Create an outbound webhook endpoint', method: 'POST', path: '/businesses/:business_id/webhooks' },
  { group: 'webhooks', title: 'Get an outbound webhook endpoint', method: 'GET', path: '/businesses/:business_id/webhooks/:webhook_id' },
  { group: 'webhooks', title: 'Update an outbound webhook endpoint', method: 'PATCH', path: '/businesses/:business_id/webhooks/:webhook_id' },
  { group: 'webhooks', title: 'Delete an outbound webhook endpoint', method: 'DELETE', path: '/businesses/:business_id/webhooks/:webhook_id' },
  { group: 'webhooks', title: "Rotate an outbound webhook endpoint's signing secret", method: 'POST', path: '/businesses/:business_id/webhooks/:webhook_id/rotate-secret' },
  { group: 'webhooks', title: 'Send a test ping to an outbound webhook endpoint', method: 'POST', path: '/businesses/:business_id/webhooks/:webhook_id/test' },
  { group: 'webhooks', title: 'List deliveries of a webhook endpoint', method: 'GET', path: '/businesses/:business_id/webhooks/:webhook_id/deliveries' },
  { group: 'webhooks', title: 'Get a webhook delivery with its attempts', method: 'GET', path: '/businesses/:business_id/webhooks/:webhook_id/deliveries/:delivery_id' },
  { group: 'webhooks', title: 'Redeliver a webhook delivery', method: 'POST', path: '/businesses/:business_id/webhooks/:webhook_id/deliveries/:delivery_id/redeliver' },
  { group: 'webhooks', title: 'Replay events to a webhook endpoint', method: 'POST', path: '/businesses/:business_id/webhooks/:webhook_id/replay' },
  { group: 'events', title: 'List events of a business (the event feed)', method: 'GET', path: '/businesses/:business_id/events' },
  { group: 'events', title: 'List webhook deliveries of an event', method: 'GET', path: '/businesses/:business_id/events/:event_id/deliveries' },
  { group: 'assignment', title: "Update a location's auto-assignment", method: 'PATCH', path: '/businesses/:business_id/locations/:location_id' },
  { group: 'assignment', title: "Set a staff member's availability", method: 'POST', path: '/business-staffs/:business_id/staffs/:staff_id/availability' },
  { group: 'labels', title: 'List labels of a business', method: 'GET', path: '/businesses/:business_id/labels' },
  { group: 'labels', title: 'Create a label', method: 'POST', path: '/businesses/:business_id/labels' },
  { group: 'labels', title: 'Get a label', method: 'GET', path: '/businesses/:business_id/labels/:label_id' },
  { group: 'labels', title: 'Update a label', method: 'PATCH', path: '/businesses/:business_id/labels/:label_id' },
  { group: 'labels', title: 'Delete a label', method: 'DELETE', path: '/businesses/:business_id/labels/:label_id' },
  { group: 'labels', title: 'List labels of a conversation', method: 'GET', path: '/businesses/:business_id/conversations/:conversation_id/labels' },
  { group: 'labels', title: 'Add labels to a conversation', method: 'POST', path: '/businesses/:business_id/conversations/:conversation_id/labels' },
  { group: 'labels', title: 'Remove a label from a conversation', method: 'DELETE', path: '/businesses/:business_id/conversations/:conversation_id/labels/:label_id' },
  { group: 'inbox', title: 'Bulk update conversations', method: 'POST', path: '/businesses/:business_id/conversations/bulk' },
  { group: 'saved-replies', title: 'List saved replies', method: 'GET', path: '/businesses/:business_id/saved-replies' },
  { group: 'saved-replies', title: 'Create a saved reply', method: 'POST', path: '/businesses/:business_id/saved-replies' },
  { group: 'saved-replies', title: 'Get a saved reply', method: 'GET', path: '/businesses/:business_id/saved-replies/:saved_reply_id' },
  { group: 'saved-replies', title: 'Update a saved reply', method: 'PATCH', path: '/businesses/:business_id/saved-replies/:saved_reply_id' },
  { group: 'saved-replies', title: 'Delete a saved reply', method: 'DELETE', path: '/businesses/:business_id/saved-replies/:saved_reply_id' },
  { group: 'saved-replies', title: 'Preview a saved reply for a conversation or client', method: 'POST', path: '/businesses/:business_id/saved-replies/:saved_reply_id/preview' },
  { group: 'client-edits', title: "Edit a client's profile", method: 'PATCH', path: '/business-clients/:business_id/clients/:client_id' },
  { group: 'client-edits', title: 'Merge two clients', method: 'POST', path: '/business-clients/:business_id/clients/merge' },
  { group: 'reports', title: 'Inbox report (volumes, response and resolution times)', method: 'GET', path: '/businesses/:business_id/reports/inbox' },
  { group: 'senders', title: 'List senders of a business with their pacing', method: 'GET', path: '/businesses/:business_id/senders' },
  { group: 'senders', title: "Set a sender's rate override", method: 'PUT', path: '/businesses/:business_id/senders/:sender' },
  { group: 'campaigns', title: 'List campaigns of a business', method: 'GET', path: '/businesses/:business_id/campaigns' },
  { group: 'campaigns', title: 'Create a campaign', method: 'POST', path: '/businesses/:business_id/campaigns' },
  { group: 'campaigns', title: 'Get a campaign with its counts', method: 'GET', path: '/businesses/:business_id/campaigns/:campaign_id' },
  { group: 'campaigns', title: 'Update a campaign', method: 'PATCH', path: '/businesses/:business_id/campaigns/:campaign_id' },
  { group: 'campaigns', title: 'Delete a draft campaign', method: 'DELETE', path: '/businesses/:business_id/campaigns/:campaign_id' },
  { group: 'campaigns', title: 'Start or schedule a campaign', method: 'POST', path: '/businesses/:business_id/campaigns/:campaign_id/start' },
  { group: 'campaigns', title: 'Pause a campaign', method: 'POST', path: '/businesses/:business_id/campaigns/:campaign_id/pause' },
  { group: 'campaigns', title: 'Resume a campaign', method: 'POST', path: '/businesses/:business_id/campaigns/:campaign_id/resume' },
  { group: 'campaigns', title: 'Cancel a campaign', method: 'POST', path: '/businesses/:business_id/campaigns/:campaign_id/cancel' },
  { group: 'campaigns', title: "List a campaign's recipients", method: 'GET', path: '/businesses/:business_id/campaigns/:campaign_id/recipients' },
  { group: 'sign-in', title: 'Create a sign-in link for a staff member', method: 'POST', path: '/auth/sign-in-links' },
  { group: 'sign-in', title: 'Sign in with a sign-in link', method: 'POST', path: '/auth/sign-in' },
  { group: 'sign-in', title: 'Sign-in options of this server (the embedded demo)', method: 'GET', path: '/auth/sign-in-options' },
  { group: 'sign-in', title: 'Sign in as a staff member of the embedded demo', method: 'POST', path: '/auth/demo-sign-in' },
  { group: 'health', title: 'Check readiness', method: 'GET', path: '/health/ready' },
] as const satisfies readonly Operation<OwnGroup>[];

/** Every operation the REST layer serves: the index's, then Omega's own. */
export const ALL_OPERATIONS: readonly Operation<Group | OwnGroup>[] = [...OPERATIONS, ...OWN_OPERATIONS];

/** OpenAPI summary and tag of the operation at this method and path; throws for a path in neither list. */
export function describe(method: Operation['method'], path: string): { summary: string; tags: string[]; operationId: string } {
  const op = ALL_OPERATIONS.find((o) => o.method === method && o.path === path);
  if (!op) throw new Error(`internal error: ${method} ${path} is not in rest-compat/catalog.ts; add it there first`);
  const operationId = `${method.toLowerCase()}${path.replace(/[/:_-]+(\w)/g, (_m, c: string) => c.toUpperCase())}`;
  return { summary: op.title, tags: [op.group], operationId };
}

// Campaigns' statements (src/domain/campaigns): the audience materialised once, the dispatcher's
// chunks, the recipients' states, the live progress counts, and the campaign's messages for pause,
// resume and cancel (through the partial index messages_campaign_id_status_idx).
import type { Sql } from '../sqlHandle.js';

/** Locks the campaign's row (FOR UPDATE) in the caller's transaction; its status, or null when it is not the business's. */
export async function lockCampaign(sql: Sql, campaignId: string, businessId: string): Promise<{ status: string } | null> {
  const rows = await sql.query<{ status: string }>(`SELECT status::text AS status FROM campaigns WHERE id = $1::uuid AND business_id = $2::text FOR UPDATE`, [campaignId, businessId]);
  return rows[0] ?? null;
}

export interface AudienceQuery {
  clientIds: string[] | null;
  clientTypes: string[] | null;
  groups: string[] | null;
  labelIds: string[] | null;
  homeLocationIds: string[] | null;
  lastContactBefore: Date | null;
  lastContactAfter: Date | null;
  optedInOnly: boolean;
  channel: 'sms' | 'email';
}

/**
 * The audience into campaign_recipients (state pending) in one INSERT ... SELECT: the business's
 * clients (not merged into another) that match every filter given, or those of the explicit list.
 * ON CONFLICT DO NOTHING: running it again adds nobody twice. Returns the campaign's recipients in all.
 */
export async function insertCampaignRecipients(sql: Sql, campaignId: string, businessId: string, q: AudienceQuery): Promise<number> {
  await sql.query(
    `INSERT INTO campaign_recipients (campaign_id, client_id, business_id)
     SELECT $1::uuid, cl.id, cl.business_id FROM clients cl
      WHERE cl.business_id = $2::text AND cl.merged_into_id IS NULL
        AND ($3::uuid[] IS NULL OR cl.id = ANY($3::uuid[]))
        AND ($4::text[] IS NULL OR cl.type = ANY($4::text[]))
        AND ($5::text[] IS NULL OR cl.groups && $5::text[])
        AND ($6::uuid[] IS NULL OR cl.home_location_id = ANY($6::uuid[]))
        AND ($7::uuid[] IS NULL OR cl.id IN (SELECT c.client_id FROM conversation_labels x JOIN conversations c ON c.id = x.conversation_id
                                               WHERE x.business_id = $2::text AND x.label_id = ANY($7::uuid[])))
        AND ($8::timestamptz IS NULL OR (SELECT max(c.last_message_at) FROM conversations c WHERE c.client_id = cl.id AND c.business_id = $2::text) < $8::timestamptz)
        AND ($9::timestamptz IS NULL OR (SELECT max(c.last_message_at) FROM conversations c WHERE c.client_id = cl.id AND c.business_id = $2::text) >= $9::timestamptz)
        AND (NOT $10::boolean OR CASE WHEN $11::text = 'sms' THEN NOT cl.sms_opt_out ELSE NOT cl.email_suppressed END)
     ON CONFLICT DO NOTHING`,
    [campaignId, businessId, q.clientIds, q.clientTypes, q.groups, q.homeLocationIds, q.labelIds, q.lastContactBefore, q.lastContactAfter, q.optedInOnly, q.channel],
  );
  const rows = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1::uuid`, [campaignId]);
  return rows[0]?.n ?? 0;
}

export interface PendingRecipient {
  client_id: string;
  /** The client's first phone (sms) or email (email); null: none. */
  address: string | null;
}

/**
 * The next chunk of a campaign's pending recipients, in client id order. Those who cannot be sent to
 * now (opted out of SMS, email suppressed, no address, merged into another client) are marked
 * skipped with the reason by the same statement and are not returned.
 */
export async function takePendingRecipients(sql: Sql, campaignId: string, channel: 'sms' | 'email', limit: number): Promise<{ pending: PendingRecipient[]; skipped: number }> {
  const rows = await sql.query<{ client_id: string; address: string | null; reason: string | null }>(
    `WITH chunk AS (
       SELECT r.client_id,
              CASE WHEN $2::text = 'sms' THEN cl.phones[1] ELSE cl.emails[1] END AS address,
              CASE WHEN cl.merged_into_id IS NOT NULL THEN 'merged'
                   WHEN $2::text = 'sms' AND cl.sms_opt_out THEN 'opted_out'
                   WHEN $2::text = 'email' AND cl.email_suppressed THEN 'opted_out'
                   WHEN (CASE WHEN $2::text = 'sms' THEN cl.phones[1] ELSE cl.emails[1] END) IS NULL THEN 'no_address' END AS reason
         FROM campaign_recipients r JOIN clients cl ON cl.id = r.client_id
        WHERE r.campaign_id = $1::uuid AND r.state = 'pending'
        ORDER BY r.client_id LIMIT $3::int
     ), skip AS (
       UPDATE campaign_recipients r SET state = 'skipped', reason = chunk.reason, updated_at = now()
         FROM chunk WHERE r.campaign_id = $1::uuid AND r.client_id = chunk.client_id AND chunk.reason IS NOT NULL AND r.state = 'pending'
     )
     SELECT client_id::text, address, reason FROM chunk ORDER BY client_id`,
    [campaignId, channel, limit],
  );
  return { pending: rows.filter((r) => r.reason === null).map((r) => ({ client_id: r.client_id, address: r.address })), skipped: rows.filter((r) => r.reason !== null).length };
}

/** Recipients whose message now exists: queued, with its id (a recipient no longer pending is left as it is). */
export async function markRecipientsQueued(sql: Sql, campaignId: string, queued: { clientId: string; messageId: string }[]): Promise<void> {
  if (queued.length === 0) return;
  await sql.query(
    `UPDATE campaign_recipients r SET state = 'queued', message_id = q.message_id, reason = NULL, updated_at = now()
       FROM json_to_recordset($2::json) AS q(client_id uuid, message_id uuid)
      WHERE r.campaign_id = $1::uuid AND r.client_id = q.client_id AND r.state = 'pending'`,
    [campaignId, JSON.stringify(queued.map((q) => ({ client_id: q.clientId, message_id: q.messageId })))],
  );
}

/** Pending recipients skipped with a reason: those named, or (clientIds null) every pending one. Returns how many. */
export async function skipRecipients(sql: Sql, campaignId: string, clientIds: string[] | null, reason: string): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    `WITH s AS (
       UPDATE campaign_recipients SET state = 'skipped', reason = $3::text, updated_at = now()
        WHERE campaign_id = $1::uuid AND state = 'pending' AND ($2::uuid[] IS NULL OR client_id = ANY($2::uuid[]))
       RETURNING 1
     ) SELECT count(*)::int AS n FROM s`,
    [campaignId, clientIds, reason],
  );
  return rows[0]?.n ?? 0;
}

export interface CampaignProgressRow {
  recipients: number;
  pending: number;
  skipped: number;
  skipped_opted_out: number;
  queued: number;
  sending: number;
  sent: number;
  delivered: number;
  failed: number;
  canceled: number;
  failed_opted_out: number;
  replied: number;
}

/**
 * A campaign's live counts in one statement: its recipients by state, and its messages (through the
 * partial index on messages.campaign_id) by status: queued (scheduled or queued), sending, sent
 * (sent, delivered or read), delivered (delivered or read), failed (failed or undelivered),
 * canceled, those refused at send time because the client opted out meanwhile, and replied (the
 * recipient's conversation has an inbound message after the campaign message was sent).
 */
export async function selectCampaignProgress(sql: Sql, campaignId: string): Promise<CampaignProgressRow> {
  const rows = await sql.query<CampaignProgressRow>(
    `SELECT r.*, m.* FROM
       (SELECT count(*)::int AS recipients,
               count(*) FILTER (WHERE state = 'pending')::int AS pending,
               count(*) FILTER (WHERE state = 'skipped')::int AS skipped,
               count(*) FILTER (WHERE state = 'skipped' AND reason = 'opted_out')::int AS skipped_opted_out
          FROM campaign_recipients WHERE campaign_id = $1::uuid) r,
       (SELECT count(*) FILTER (WHERE m.status IN ('scheduled', 'queued'))::int AS queued,
               count(*) FILTER (WHERE m.status = 'sending')::int AS sending,
               count(*) FILTER (WHERE m.status IN ('sent', 'delivered', 'read'))::int AS sent,
               count(*) FILTER (WHERE m.status IN ('delivered', 'read'))::int AS delivered,
               count(*) FILTER (WHERE m.status IN ('failed', 'undelivered'))::int AS failed,
               count(*) FILTER (WHERE m.status = 'canceled')::int AS canceled,
               count(*) FILTER (WHERE m.status = 'failed' AND m.error_code IN ('CLIENT_OPTED_OUT', 'EMAIL_SUPPRESSED', '21610'))::int AS failed_opted_out,
               count(*) FILTER (WHERE m.sent_at IS NOT NULL AND EXISTS (
                 SELECT 1 FROM messages i WHERE i.conversation_id = m.conversation_id AND i.direction = 'inbound' AND i.created_at > m.sent_at))::int AS replied
          FROM messages m WHERE m.campaign_id = $1::uuid) m`,
    [campaignId],
  );
  return rows[0]!;
}

/** The campaign's messages in these statuses (id order), at most `limit` after `afterId`. */
export async function selectCampaignMessages(
  sql: Sql,
  campaignId: string,
  statuses: string[],
  afterId: string | null,
  limit: number,
): Promise<{ id: string; channel: 'sms' | 'email'; scheduled_at: Date | null }[]> {
  return sql.query(
    `SELECT id::text, channel::text AS channel, scheduled_at FROM messages
      WHERE campaign_id = $1::uuid AND status::text = ANY($2::text[]) AND ($3::uuid IS NULL OR id > $3::uuid)
      ORDER BY id LIMIT $4::int`,
    [campaignId, statuses, afterId, limit],
  );
}

export interface CampaignRecipientRow {
  client_id: string;
  state: string;
  reason: string | null;
  message_id: string | null;
  message_status: string | null;
  updated_at: Date;
}

/** A page of a campaign's recipients in client id order (keyset after a client id, or an offset). */
export async function selectCampaignRecipientPage(
  sql: Sql,
  campaignId: string,
  page: { limit: number; afterClientId: string | null; offset: number; state: string | null },
): Promise<CampaignRecipientRow[]> {
  return sql.query<CampaignRecipientRow>(
    `SELECT r.client_id::text, r.state, r.reason, r.message_id::text, m.status::text AS message_status, r.updated_at
       FROM campaign_recipients r LEFT JOIN messages m ON m.id = r.message_id
      WHERE r.campaign_id = $1::uuid AND ($2::uuid IS NULL OR r.client_id > $2::uuid) AND ($5::text IS NULL OR r.state = $5::text)
      ORDER BY r.client_id LIMIT $3::int OFFSET $4::int`,
    [campaignId, page.afterClientId, page.limit, page.offset, page.state],
  );
}

export async function countCampaignRecipients(sql: Sql, campaignId: string, state: string | null): Promise<number> {
  const rows = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1::uuid AND ($2::text IS NULL OR state = $2::text)`, [campaignId, state]);
  return rows[0]?.n ?? 0;
}

/**
 * Takes the send jobs of the campaign's waiting (scheduled or queued) messages off the queue
 * (graphile_worker.remove_job: a job already running finishes, and is never retried), so a paused or
 * canceled campaign's jobs no longer run only to be refused by the claim, each after taking a slot
 * of its sender's pacing budget. Returns how many were removed.
 */
export async function removeCampaignSendJobs(sql: Sql, campaignId: string): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    `SELECT count(graphile_worker.remove_job(CASE WHEN m.channel = 'sms' THEN 'send_sms:' ELSE 'send_email:' END || m.id::text))::int AS n
       FROM messages m WHERE m.campaign_id = $1::uuid AND m.status IN ('scheduled', 'queued')`,
    [campaignId],
  );
  return rows[0]?.n ?? 0;
}

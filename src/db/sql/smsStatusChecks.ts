import type { Sql } from '../sqlHandle.js';

// Reconciliation of SMS delivery statuses (reconcileSmsStatuses): which messages to ask Twilio
// about, and the record of each check in the message's metadata (statusCheckedAt, statusChecks).

/**
 * Outbound Twilio SMS still `sending` or `sent`: created within `horizonDays`, not checked (or
 * changed) for `afterSeconds`, checked fewer than `maxChecks` times; least recently changed first.
 */
export async function selectSmsToCheck(
  sql: Sql,
  q: { now: Date; horizonDays: number; afterSeconds: number; maxChecks: number; limit: number },
): Promise<{ id: string; business_id: string; provider_message_id: string }[]> {
  return sql.query(
    `SELECT m.id::text AS id, m.business_id, m.provider_message_id
       FROM messages m
      WHERE m.status IN ('sending', 'sent')
        AND m.channel = 'sms' AND m.direction = 'outbound'
        AND m.provider = 'twilio' AND m.provider_message_id IS NOT NULL
        AND m.created_at > $1::timestamptz - make_interval(days => $2::int)
        AND coalesce((m.metadata->>'statusCheckedAt')::timestamptz, m.updated_at) < $1::timestamptz - make_interval(secs => $3::int)
        AND coalesce((m.metadata->>'statusChecks')::int, 0) < $4::int
      ORDER BY m.updated_at
      LIMIT $5::int`,
    [q.now, q.horizonDays, q.afterSeconds, q.maxChecks, q.limit],
  );
}

/** Records a check at `now`: the count becomes `checks`, or one more when null. */
export async function recordSmsStatusCheck(sql: Sql, m: { id: string; businessId: string }, now: Date, checks: number | null): Promise<void> {
  await sql.query(
    `UPDATE messages
        SET metadata = metadata || jsonb_build_object(
              'statusCheckedAt', $1::timestamptz,
              'statusChecks', coalesce($2::int, coalesce((metadata->>'statusChecks')::int, 0) + 1))
      WHERE id = $3::uuid AND business_id = $4::text`,
    [now, checks, m.id, m.businessId],
  );
}

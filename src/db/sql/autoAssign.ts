import type { Sql } from '../sqlHandle.js';

/** A location's auto-assignment, locked for the caller's transaction; null when it is off. */
export interface LockedAutoAssignment {
  capacity: number;
  lastStaffId: string | null;
  /** Staff who may be auto-assigned here (active, online, working at the location), locked, in id order. */
  staffIds: string[];
}

/**
 * Locks what one auto-assignment decides on: the location's round-robin place, then its available
 * staff in id order (every auto-assigner locks in that order, so they queue, never deadlock). The
 * locks are FOR NO KEY UPDATE: messages and conversations that merely reference the location or a
 * staff member (foreign keys take KEY SHARE) never wait for them. The counts of open conversations
 * are read by the next statement, whose snapshot sees what a previous holder of these locks committed.
 */
export async function lockAutoAssignment(sql: Sql, input: { businessId: string; locationId: string }): Promise<LockedAutoAssignment | null> {
  const [location] = await sql.query<{ capacity: number; last_staff_id: string | null }>(
    `SELECT auto_assign_capacity AS capacity, auto_assign_last_staff_id::text AS last_staff_id
       FROM locations WHERE id = $1::uuid AND business_id = $2::text AND auto_assign
        FOR NO KEY UPDATE`,
    [input.locationId, input.businessId],
  );
  if (!location) return null;
  const staff = await sql.query<{ id: string }>(
    `SELECT id::text AS id FROM staff
      WHERE business_id = $2::text AND active AND availability = 'online' AND $1::uuid = ANY (location_ids)
      ORDER BY id
        FOR NO KEY UPDATE`,
    [input.locationId, input.businessId],
  );
  return { capacity: location.capacity, lastStaffId: location.last_staff_id, staffIds: staff.map((s) => s.id) };
}

/**
 * Hands the (still unassigned) conversation to the first of `staffIds` after `lastStaffId` in id
 * order, wrapping around, who holds fewer than `capacity` open conversations, and moves the
 * location's round-robin place to them. Answers the staff member, or null (nobody under capacity,
 * or the conversation was assigned meanwhile).
 */
export async function assignNextStaff(
  sql: Sql,
  input: { businessId: string; locationId: string; conversationId: string; messageId: string; staffIds: string[]; capacity: number; lastStaffId: string | null },
): Promise<string | null> {
  const [row] = await sql.query<{ staff_id: string }>(
    `WITH load AS (
       SELECT s.id, (SELECT count(*) FROM conversations c
                      WHERE c.business_id = $1::text AND c.assignee_id = s.id AND c.status = 'open') AS open_count
         FROM unnest($4::uuid[]) AS s(id)
     ),
     pick AS (
       SELECT id FROM load WHERE open_count < $5::int ORDER BY (id <= $6::uuid) IS TRUE, id LIMIT 1
     ),
     assigned AS (
       UPDATE conversations c SET assignee_id = pick.id, updated_at = now()
         FROM pick
        WHERE c.id = $3::uuid AND c.business_id = $1::text AND c.assignee_id IS NULL
       RETURNING pick.id
     ),
     turn AS (
       UPDATE locations l SET auto_assign_last_staff_id = assigned.id FROM assigned WHERE l.id = $2::uuid
     ),
     -- The report's opening (written by the message's statement just before) names the assignee it got.
     opening AS (
       UPDATE report_openings o SET assignee_id = assigned.id FROM assigned WHERE o.message_id = $7::uuid
     )
     SELECT id::text AS staff_id FROM assigned`,
    [input.businessId, input.locationId, input.conversationId, input.staffIds, input.capacity, input.lastStaffId, input.messageId],
  );
  return row?.staff_id ?? null;
}

import type { Sql } from '../sqlHandle.js';

/**
 * Who changes conversations' status in this transaction, why and when (the application's clock),
 * for the status history the triggers on conversations write (migration 20261205020000): settings
 * local to the transaction, so they end with it. Anything not given is left as it was.
 */
export async function setStatusChangeContext(sql: Sql, context: { staffId?: string | null; reason?: string | null; at?: Date | null }): Promise<void> {
  await sql.query(
    `SELECT set_config('omega.actor_staff_id', coalesce($1::text, current_setting('omega.actor_staff_id', true), ''), true),
            set_config('omega.status_reason', coalesce($2::text, current_setting('omega.status_reason', true), ''), true),
            set_config('omega.status_changed_at', coalesce($3::timestamptz::text, current_setting('omega.status_changed_at', true), ''), true)`,
    [context.staffId ?? null, context.reason ?? null, context.at ?? null],
  );
}

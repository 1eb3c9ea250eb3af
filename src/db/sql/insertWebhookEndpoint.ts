import type { Sql } from '../sqlHandle.js';

export interface NewWebhookEndpoint {
  businessId: string;
  url: string;
  description: string | null;
  eventTypes: readonly string[];
  enabled: boolean;
  /** 'manual' for an endpoint created disabled. */
  disabledReason: string | null;
  disabledAt: Date | null;
  secretEncrypted: string;
  /** The log position the endpoint starts at (selectInboxEventStart): the fence, as an xid8. */
  cursorXid: string;
  /** Events this snapshot saw were committed before the endpoint: never delivered to it. */
  startSnapshot: string;
}

/**
 * A new endpoint at a place in its business's event log (Prisma cannot write the xid8 and
 * pg_snapshot columns); its id.
 */
export async function insertWebhookEndpoint(sql: Sql, e: NewWebhookEndpoint): Promise<string> {
  const rows = await sql.query<{ id: string }>(
    `INSERT INTO webhook_endpoints (business_id, url, description, event_types, enabled, disabled_reason, disabled_at, secret_encrypted, cursor_xid, cursor_id, start_snapshot)
     VALUES ($1::text, $2::text, $3::text, $4::text[], $5::boolean, $6::text, $7::timestamptz, $8::text, $9::xid8, 0, $10::pg_snapshot)
     RETURNING id::text AS id`,
    [e.businessId, e.url, e.description, e.eventTypes, e.enabled, e.disabledReason, e.disabledAt, e.secretEncrypted, e.cursorXid, e.startSnapshot],
  );
  const id = rows[0]?.id;
  if (!id) throw new Error('internal error: INSERT INTO webhook_endpoints returned no id');
  return id;
}

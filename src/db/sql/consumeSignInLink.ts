import type { Sql } from '../sqlHandle.js';

export interface ConsumedSignInLinkRow {
  id: string;
  business_id: string;
  staff_id: string;
  api_key_id: string;
  staff_active: boolean;
  first_name: string;
  last_name: string | null;
}

/**
 * Marks the link with this token hash used, once: only while it is unused, unexpired at `now` and
 * the key that minted it is still active. Of two concurrent redemptions one gets the row, the other
 * none (it waits for the first's row lock, then finds used_at set).
 */
export async function consumeSignInLink(sql: Sql, input: { tokenHash: string; now: Date }): Promise<ConsumedSignInLinkRow | undefined> {
  const rows = await sql.query<ConsumedSignInLinkRow>(
    `UPDATE sign_in_links l SET used_at = $2::timestamptz
       FROM api_keys k, staff st
      WHERE l.token_hash = $1::text AND l.used_at IS NULL AND l.expires_at > $2::timestamptz
        AND k.id = l.api_key_id AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > $2::timestamptz)
        AND st.id = l.staff_id AND st.business_id = l.business_id
      RETURNING l.id::text AS id, l.business_id, l.staff_id::text AS staff_id, l.api_key_id::text AS api_key_id,
                st.active AS staff_active, st.first_name, st.last_name`,
    [input.tokenHash, input.now],
  );
  return rows[0];
}

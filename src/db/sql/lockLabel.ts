import type { Sql } from '../sqlHandle.js';

/**
 * Locks a label's row (FOR UPDATE: writers putting it on conversations hold FOR KEY SHARE through
 * their foreign key, so this waits for them, and those after it fail once it is deleted). False
 * when the business has no such label.
 */
export async function lockLabel(sql: Sql, businessId: string, labelId: string): Promise<boolean> {
  return (await sql.query('SELECT id FROM labels WHERE id = $2::uuid AND business_id = $1::text FOR UPDATE', [businessId, labelId])).length > 0;
}

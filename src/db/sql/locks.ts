// Locks taken inside a transaction (held to its COMMIT or ROLLBACK): row locks on the row a change
// serialises on, and advisory locks on a key where no row exists yet to lock.
import type { Sql } from '../sqlHandle.js';

/**
 * A transaction-level advisory lock on a text key (hashed with hashtext), for "one at a time per
 * key" before the row exists: one record per provider message id, one call per call SID.
 */
export async function lockKey(sql: Sql, key: string): Promise<void> {
  await sql.query('SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext($1::text))) AS l', [key]);
}

/** Locks these conversations' rows, in id order (no deadlock between writers of overlapping sets). */
export async function lockConversations(sql: Sql, conversationIds: readonly string[]): Promise<void> {
  await sql.query('SELECT id FROM conversations WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [conversationIds]);
}

/** Locks an onboarding's row: its steps' outcomes and status change one writer at a time. */
export async function lockOnboarding(sql: Sql, onboardingId: string): Promise<void> {
  await sql.query('SELECT id FROM onboardings WHERE id = $1::uuid FOR UPDATE', [onboardingId]);
}

/** Locks a voice call's row; false when there is no such call. */
export async function lockVoiceCall(sql: Sql, callId: string): Promise<boolean> {
  return (await sql.query('SELECT id FROM voice_calls WHERE id = $1::uuid FOR UPDATE', [callId])).length > 0;
}

/** Locks an API key's row; false when there is no such key. */
export async function lockApiKey(sql: Sql, apiKeyId: string): Promise<boolean> {
  return (await sql.query('SELECT id FROM api_keys WHERE id = $1::uuid FOR UPDATE', [apiKeyId])).length > 0;
}

/** Locks a business's row and reads its settings (JSON); null when there is no such business. */
export async function lockBusinessSettings(sql: Sql, businessId: string): Promise<{ settings: unknown } | null> {
  const rows = await sql.query<{ settings: unknown }>('SELECT settings FROM businesses WHERE id = $1::text FOR UPDATE', [businessId]);
  return rows[0] ?? null;
}

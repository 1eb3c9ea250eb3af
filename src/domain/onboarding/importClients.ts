import type { ClaimedStep } from '../../db/sql/claimOnboardingStep.js';
import { updateRunningStep } from '../../db/sql/updateRunningStep.js';
import { upsertClients, type ClientRow } from '../../db/sql/upsertClients.js';
import type { Deps } from '../deps.js';

const BATCH = 500;

/**
 * Imports an onboarding's clients (the client_import step) in batches of 500, each one statement
 * and its own transaction, upserting by external id: running it again (a retry after a crash, a
 * repeat onboarding) updates the same clients instead of adding duplicates. Progress is recorded on
 * the step as batches commit; on success the rows are dropped from the step, keeping the digest.
 */
export async function importClients(deps: Deps, step: ClaimedStep): Promise<Record<string, unknown>> {
  const { rows, count, digest } = step.input as { rows?: ClientRow[]; count: number; digest: string };
  if (!rows) return { total: count, imported: count, created: 0, updated: 0, digest, note: 'already imported' };
  const sql = deps.sql;
  let created = 0;
  let updated = 0;
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = await upsertClients(sql, step.business_id, rows.slice(i, i + BATCH));
    created += batch.created;
    updated += batch.updated;
    await updateRunningStep(deps.sql, step.id, step.attempts, { result: { total: rows.length, imported: created + updated, created, updated } });
  }
  await updateRunningStep(deps.sql, step.id, step.attempts, { dropInputKey: 'rows' });
  return { total: rows.length, imported: created + updated, created, updated, digest };
}

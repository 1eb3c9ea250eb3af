import { selectActiveSession } from '../../db/sql/selectActiveSession.js';
import type { Deps } from '../deps.js';
import type { Principal } from './principal.js';

/** Whether the credential behind a principal would still be accepted now (not revoked, not expired). */
export async function isCredentialActive(deps: Deps, principal: Principal): Promise<boolean> {
  if (principal.kind === 'session') return (await selectActiveSession(deps.pool, principal.sessionId)) !== undefined;
  const { rowCount } = await deps.pool.query(
    `SELECT 1 FROM api_keys WHERE id = $1::uuid AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
    [principal.apiKeyId],
  );
  return (rowCount ?? 0) > 0;
}

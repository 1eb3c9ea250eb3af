import { isApiKeyActive } from '../../db/sql/isApiKeyActive.js';
import { selectActiveSession } from '../../db/sql/selectActiveSession.js';
import type { Deps } from '../deps.js';
import type { Principal } from './principal.js';

/** Whether the credential behind a principal would still be accepted now (not revoked, not expired). */
export async function isCredentialActive(deps: Deps, principal: Principal): Promise<boolean> {
  if (principal.kind === 'session') return (await selectActiveSession(deps.sql, principal.sessionId)) !== undefined;
  return isApiKeyActive(deps.sql, principal.apiKeyId);
}

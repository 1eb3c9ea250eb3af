// Closes a graphql-ws connection when the credential it authenticated with stops being valid:
// - revoked (POST /session/expire, key revocation): the revocation bus hears the NOTIFY that the
//   sessions/api_keys triggers send at COMMIT, from whichever process revoked it;
// - expired: a timer fires at the session's expiry;
// - after the bus reconnects (a notification may have been lost), the credential is checked again.
// Close code 4401 (graphql-ws "Unauthorized"): the client must authenticate again.
import type { WebSocket } from 'ws';
import { isCredentialActive } from '../domain/auth/isCredentialActive.js';
import { credentialId, type Principal } from '../domain/auth/principal.js';
import type { Deps } from '../domain/deps.js';

export const CLOSE_CREDENTIAL_INVALID = 4401;

/** setTimeout's longest delay (~24.8 days); a later expiry re-arms when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function closeOnRevocation(deps: Deps, socket: WebSocket, principal: Principal): void {
  const what = principal.kind === 'session' ? 'Session' : 'API key';
  let timer: NodeJS.Timeout | undefined;
  const close = (reason: string) => {
    stop();
    if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(CLOSE_CREDENTIAL_INVALID, reason);
  };
  const recheck = () => {
    isCredentialActive(deps, principal)
      .then((active) => {
        if (!active) close(`${what} revoked or expired`);
      })
      .catch(() => undefined); // database unreachable: keep the socket; the next recheck decides
  };
  const unwatch = deps.revocations.watch(credentialId(principal), (reason) => (reason === 'revoked' ? close(`${what} revoked`) : recheck()));
  const armExpiry = () => {
    if (principal.kind !== 'session') return;
    const ms = principal.expiresAt.getTime() - deps.clock.now().getTime();
    if (ms <= 0) return close('Session expired');
    timer = setTimeout(() => (ms > MAX_TIMER_MS ? armExpiry() : close('Session expired')), Math.min(ms, MAX_TIMER_MS));
    timer.unref();
  };
  const stop = () => {
    unwatch();
    clearTimeout(timer);
  };
  socket.once('close', stop);
  armExpiry();
}

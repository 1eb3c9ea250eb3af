// Tells every gateway process when a session or an API key is revoked, so connections that
// authenticated with it earlier (graphql-ws sockets) are closed at once. The migration's triggers
// NOTIFY channel omega_credentials_revoked with "session:<id>" or "api_key:<id>" at COMMIT; HTTP
// requests need nothing of this, as they check the credential on every request.
import { startChannelListener, type ListenerLogger } from './startChannelListener.js';

export const REVOCATION_CHANNEL = 'omega_credentials_revoked';

export interface RevocationBus {
  /**
   * Calls `onRevoked` when credential `id` ("session:<uuid>" or "api_key:<uuid>") is revoked, and
   * also after the listener reconnects (a notification may have been missed: re-check then).
   */
  watch(id: string, onRevoked: (reason: 'revoked' | 'recheck') => void): () => void;
  close(): Promise<void>;
}

export type RevocationBusLogger = ListenerLogger;

export async function startRevocationBus(connectionString: string, log: RevocationBusLogger): Promise<RevocationBus> {
  const listener = await startChannelListener({ connectionString, channel: REVOCATION_CHANNEL, name: 'revocation-listener', log });
  return {
    watch: (id, onRevoked) => listener.watch(id, (reason) => onRevoked(reason === 'notified' ? 'revoked' : 'recheck')),
    close: () => listener.close(),
  };
}

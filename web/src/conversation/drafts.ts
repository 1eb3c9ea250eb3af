// The composer's unsent text per conversation, for one signed-in staff member. The inbox (InboxApp)
// holds one store per session and drops it with the session: whoever signs in next on the same tab
// never gets the last person's unsent reply or note prefilled as their own.
import { createContext, useContext } from 'react';

export interface Draft {
  mode: 'sms' | 'email' | 'note';
  body: string;
  subject: string;
}

export interface Drafts {
  /** The staff member these drafts are of. */
  readonly staffId: string;
  get(conversationId: string): Draft | undefined;
  /** Keeps the text (or forgets it when both the body and the subject are empty). */
  set(conversationId: string, draft: Draft): void;
  /** Forgets every draft (the session ended). */
  clear(): void;
}

export function createDrafts(staffId: string): Drafts {
  const drafts = new Map<string, Draft>();
  return {
    staffId,
    get: (conversationId) => drafts.get(conversationId),
    set(conversationId, draft) {
      if (draft.body || draft.subject) drafts.set(conversationId, draft);
      else drafts.delete(conversationId);
    },
    clear: () => drafts.clear(),
  };
}

/** Keeps nothing: what a composer gets if the store it was given is someone else's. */
const NONE: Drafts = { staffId: '', get: () => undefined, set: () => undefined, clear: () => undefined };

export const DraftsContext = createContext<Drafts | null>(null);

/** The drafts of `staffId` (the signed-in staff member; the store is provided by InboxApp). */
export function useDrafts(staffId: string): Drafts {
  const drafts = useContext(DraftsContext);
  if (!drafts) throw new Error('useDrafts outside the signed-in app');
  // Never another person's drafts, whatever the tree above did.
  return drafts.staffId === staffId ? drafts : NONE;
}

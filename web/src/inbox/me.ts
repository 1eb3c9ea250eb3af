import { createContext, useContext } from 'react';

/** Who is signed in (from `viewer` and their staff record). */
export interface Me {
  businessId: string;
  staffId: string;
  /** The staff member's name; empty until it has loaded (the inbox does not wait for it). */
  name: string;
  /** Ends the session (POST /session/expire) and goes to the sign-in page. */
  signOut(): Promise<void>;
}

export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside the signed-in app');
  return me;
}

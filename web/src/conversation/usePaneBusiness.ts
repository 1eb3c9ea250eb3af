// What the pane needs of the business: its time zone and quiet hours (the composer's warning) and its
// active staff (assign menu, @mentions). One query, cached for every conversation opened after.
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { PaneBusinessQuery } from './operations';
import { usePainted } from './painted';
import type { QuietWindow } from './quietHours';

export interface PaneStaff {
  staffId: string;
  name: string;
  role: string | null;
}

export interface PaneBusiness {
  timeZone: string | null;
  quietHours: QuietWindow | null;
  staff: PaneStaff[];
}

/** Asked once the conversation has painted (then cached for every conversation opened after). */
export function usePaneBusiness(businessId: string, conversationId: string): PaneBusiness {
  const painted = usePainted(conversationId);
  const [result] = useQuery({ query: PaneBusinessQuery, variables: { businessId }, pause: !painted });
  const data = result.data;
  return useMemo(
    () => ({
      timeZone: data?.business.timeZone ?? null,
      quietHours: data?.business.quietHours ?? null,
      staff: (data?.staff.edges ?? []).map((e) => ({ staffId: e.node.staffId, name: e.node.name, role: e.node.role })),
    }),
    [data],
  );
}
